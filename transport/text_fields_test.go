package transport

import (
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// TestEveryTextFieldTakesANumberAsItsText: the API has one rule for text fields (Params.Text), whichever
// endpoint family reads them. A JSON number is the text it writes (a postal code or coupon code a front end
// sends as 12345 is "12345"); a boolean, an object or a list is no text and a 400 under its field.
func TestEveryTextFieldTakesANumberAsItsText(t *testing.T) {
	t.Parallel()
	families := []struct {
		family, field string
		read          func(Params) (text string, failures fieldErrors)
	}{
		{"customer profile", "first_name", func(p Params) (string, fieldErrors) {
			patch, failures := profileInput(p)
			return deref(patch.FirstName), failures
		}},
		{"customer address", "postal_code", func(p Params) (string, fieldErrors) {
			patch, _, failures := addressInput(p, true)
			return deref(patch.PostalCode), failures
		}},
		{"subscription", "coupon_code", func(p Params) (string, fieldErrors) {
			in, failures := subscriptionInput(p)
			return in.CouponCode, failures
		}},
		{"e-commerce order", "coupon_code", func(p Params) (string, fieldErrors) {
			in, failures := orderInput(p)
			return in.CouponCode, failures
		}},
		{"plan order preview", "coupon_code", func(p Params) (string, fieldErrors) {
			in, failures := previewInput(p)
			return in.CouponCode, failures
		}},
	}
	values := []struct {
		name, json, want string
		refused          bool
	}{
		{"a number", `12345`, "12345", false},
		{"a number as written", `-1.50e2`, "-1.50e2", false},
		{"a string", `"A1B 2C3"`, "A1B 2C3", false},
		{"a boolean", `true`, "", true},
		{"an object", `{"code":"12345"}`, "", true},
		{"a list", `["12345"]`, "", true},
	}
	for _, f := range families {
		for _, v := range values {
			t.Run(f.family+", "+v.name, func(t *testing.T) {
				t.Parallel()
				// given a body carrying the field as that JSON value
				params, failure := decodeParams("application/json", "", strings.NewReader(`{"`+f.field+`":`+v.json+`}`))
				if failure != nil {
					t.Fatalf("decode: %v", failure)
				}
				// when the endpoint reads it
				text, failures := f.read(params)
				// then a number or string is the field's text, anything else a failure of the field
				if _, failed := failures[f.field]; failed != v.refused {
					t.Fatalf("%s = %s: failures %v, want refused %v", f.field, v.json, failures, v.refused)
				}
				if !v.refused && text != v.want {
					t.Fatalf("%s = %s: read %q, want %q", f.field, v.json, text, v.want)
				}
			})
		}
	}
}

// TestAPaymentGatewayThatIsNoTextIsRefusedAlikeEverywhere: payment_gateway given as a boolean, list or object
// is answered with one message, whichever endpoint takes it (a card's change, an invoice's payment, a
// subscription, its renewal, an order), not as "required" where it was sent.
func TestAPaymentGatewayThatIsNoTextIsRefusedAlikeEverywhere(t *testing.T) {
	t.Parallel()
	readers := []struct {
		endpoint string
		read     func(Params) fieldErrors
	}{
		{"card change", func(p Params) fieldErrors { _, failures := cardChangeInput(p); return failures }},
		{"invoice payment", func(p Params) fieldErrors { _, failures := invoicePaymentInput(p); return failures }},
		{"subscription", func(p Params) fieldErrors { _, failures := subscriptionInput(p); return failures }},
		{"renewal", func(p Params) fieldErrors {
			in := &renewalInput{params: p, failures: fieldErrors{}}
			in.payment()
			return in.failures
		}},
		{"order", func(p Params) fieldErrors { _, failures := orderInput(p); return failures }},
	}
	for _, r := range readers {
		for _, value := range []string{`true`, `["stripe"]`, `{"name":"stripe"}`} {
			t.Run(r.endpoint+", "+value, func(t *testing.T) {
				t.Parallel()
				// given a body naming a token and the gateway as something other than text
				params, failure := decodeParams("application/json", "", strings.NewReader(
					`{"gateway_token":"tok_visa","payment_gateway":`+value+`}`))
				if failure != nil {
					t.Fatalf("decode: %v", failure)
				}
				// when the endpoint reads it, then payment_gateway alone is refused, saying it must be text
				got := r.read(params)["payment_gateway"]
				if len(got) != 1 || got[0] != i18n.PaymentGatewayText {
					t.Fatalf("payment_gateway failures %v, want [%s]", got, i18n.PaymentGatewayText)
				}
			})
		}
	}
}
