package transport

import (
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

func subscriptionInputIsValidated(t *testing.T, w *subscriptionWorld) {
	token, _ := w.register(t, "ann3@example.com", "a-long-password")
	cases := []struct {
		name, body, field string
		message           string // the field's message when the case names one
	}{
		{"plan_id is required", `{}`, "plan_id", ""},
		{"plan_id is an integer", `{"plan_id":"four"}`, "plan_id", ""},
		{"quantity is positive", `{"plan_id":4052,"quantity":0}`, "quantity", "The quantity must be between 1 and 10000."},
		{"quantity is not negative", `{"plan_id":4052,"quantity":-1}`, "quantity", "The quantity must be between 1 and 10000."},
		{"quantity is an integer", `{"plan_id":4052,"quantity":"two"}`, "quantity", "This field must be an integer."},
		{"a campaign key of letters", `{"plan_id":4052,"campaign_key":"a b"}`, "campaign_key", ""},
		{"a gift start date", `{"plan_id":4052,"gift_recipient_email":"bo@example.com","gift_start_date":"soon"}`,
			"gift_start_date", ""},
		{"a gift recipient's email", `{"plan_id":4052,"gift_recipient_email":"not an email"}`, "gift_recipient_email", ""},
		{"domains only for memberships", `{"plan_id":4052,"domains":["example.com"]}`, "domains", ""},
		{"a membership's IP addresses are public", `{"plan_id":4070,"ip_addresses":["81.2.69.0/24","192.168.0.0/16"]}`,
			"ip_addresses", ""},
		{"a membership's domains are domains or wildcards", `{"plan_id":4070,"domains":["*.example.edu","not a domain","*"]}`,
			"domains", "Each domain must be a domain name such as example.edu, or a wildcard such as *.example.edu."},
		{"a membership's IP ranges have no host bits", `{"plan_id":4070,"ip_addresses":["81.2.69.7/24"]}`, "ip_addresses", ""},
		{"metadata of strings", `{"plan_id":4052,"metadata":{"a":1}}`, "metadata", ""},
		{"IP addresses only for memberships, under their own name", `{"plan_id":4052,"ip_addresses":["81.2.69.0/24"]}`,
			"ip_addresses", ""},
		// the body is checked before any business rule: Ann has no address, which plan 4060 requires, and
		// plan 999 does not exist
		{"a campaign key before the address", `{"plan_id":4060,"campaign_key":"a b"}`, "campaign_key", ""},
		{"domains before the address", `{"plan_id":4060,"domains":["example.com"]}`, "domains", ""},
		{"too many domains before the address", `{"plan_id":4060,"domains":[` +
			strings.TrimSuffix(strings.Repeat(`"example.com",`, 101), ",") + `]}`, "domains", ""},
		{"a boolean before the address", `{"plan_id":4060,"pay_via_send_invoice":"yes"}`, "pay_via_send_invoice", ""},
		{"a gift recipient before the address", `{"plan_id":4060,"gift_recipient_email":"nobody"}`,
			"gift_recipient_email", ""},
		{"a campaign key before the plan", `{"plan_id":999,"campaign_key":"a b"}`, "campaign_key", ""},
		{"a total too large for one charge, under the quantity", `{"plan_id":4055,"quantity":10000,"gateway_token":"tok_visa"}`,
			"quantity", "The total of one period is too large to be paid in one charge: lower the quantity."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := w.post("/subscription", token, tc.body, "")
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("status %d %s, want 400", rec.Code, rec.Body)
			}
			var body struct {
				Errors map[string][]string `json:"errors"`
			}
			if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || len(body.Errors[tc.field]) == 0 {
				t.Fatalf("body %s names no error for %s", rec.Body, tc.field)
			}
			if tc.message != "" && body.Errors[tc.field][0] != tc.message {
				t.Errorf("%s: %q, want %q", tc.field, body.Errors[tc.field][0], tc.message)
			}
		})
	}
}

func TestOneRefusalHasOneMessageOnEverySubscriptionEndpoint(t *testing.T) {
	t.Parallel()
	// given the refusals create, cancel and reactivate word, and those renew, change and the gifts word
	wording := func(table []struct {
		err     error
		message i18n.MessageID
	}, err error) i18n.MessageID {
		for _, known := range table {
			if errors.Is(err, known.err) {
				return known.message
			}
		}
		return ""
	}
	for _, err := range []error{subscription.ErrPaymentPending, commands.ErrPlanNotFound, commands.ErrPlanNotOnSale,
		commands.ErrNotAvailableInArea, commands.ErrAddressRequired, subscription.ErrNotFound, subscription.ErrEnded,
		subscription.ErrCurrencyMismatch} {
		// when both word the refusal, then with the one message, the very same words in every language
		created, changed := wording(subscriptionRefusals, err), wording(changeRefusals, err)
		if created == "" || created != changed {
			t.Errorf("%v: %q on create and cancel, %q on renew and change; want one message", err, created, changed)
		}
	}
}

func everyBadFieldIsNamedInOneAnswer(t *testing.T, w *subscriptionWorld) {
	token, _ := w.register(t, "ann10@example.com", "a-long-password")
	// when the body has a malformed field (the gift date) and fields breaking the value rules
	rec := w.post("/subscription", token, `{"plan_id":4051,"gateway_token":"tok_visa","gift_recipient_email":"bad",`+
		`"gift_start_date":"2026-13-45","campaign_key":"a b"}`, "")
	// then one 400 names every one of them
	var body struct {
		Errors map[string][]string `json:"errors"`
	}
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code != http.StatusBadRequest {
		t.Fatalf("status %d %s, want 400", rec.Code, rec.Body)
	}
	for field, want := range map[string]string{"gift_start_date": "This must be a date in the format YYYY-MM-DD.",
		"gift_recipient_email": "This must be a valid email address.",
		"campaign_key":         "The campaign key must be 3 to 191 letters, digits, dashes or underscores."} {
		if got := body.Errors[field]; len(got) != 1 || got[0] != want {
			t.Errorf("%s: %q, want [%q]", field, got, want)
		}
	}
	if len(body.Errors) != 3 {
		t.Errorf("errors %v, want the three fields", body.Errors)
	}
}
