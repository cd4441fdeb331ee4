package transport

import (
	"strings"
	"testing"
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
