package transport

import (
	"strings"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// FuzzPaymentMethodInput feeds arbitrary bodies through what the payment method endpoints decode: the body
// parser, #41's change reader and #44's cc_exp reader. None may panic; every field error names a message
// every language defines; an accepted change names a default or an expiry, and an accepted cc_exp is a
// month of this century that the expiry check can judge.
func FuzzPaymentMethodInput(f *testing.F) {
	f.Add("application/json", `{"is_default":true,"payment_gateway":"stripe","exp_month":12,"exp_year":2031,"cc_exp":"12/31"}`)
	f.Add("application/json", `{"payment_gateway":["x"],"exp_month":"1e3","exp_year":-1,"cc_exp":"00/00"}`)
	f.Add("application/x-www-form-urlencoded", "is_default=1&payment_gateway=stripe&exp_month=07&exp_year=2031&cc_exp=07%2F31")
	f.Add("application/json", `{"exp_month":99999999999999999999999,"cc_exp":"１２/31","is_default":"maybe"}`)
	f.Fuzz(func(t *testing.T, contentType, body string) {
		params, failure := decodeParams(contentType, "", strings.NewReader(body))
		if failure != nil {
			return
		}
		change, failures := cardChangeInput(params)
		expiry, ccFailures := ccExpInput(params)
		for _, all := range []fieldErrors{failures, ccFailures} {
			for field, messages := range all {
				for _, m := range messages {
					if i18n.Localize(i18n.Korean, m) == string(m) {
						t.Fatalf("field %s has message %s, which no catalogue defines", field, m)
					}
				}
			}
		}
		if len(failures) == 0 && !change.MakeDefault && change.Expiry == nil && !params.Has("is_default") {
			t.Fatalf("accepted a change of nothing: %+v", change)
		}
		if len(ccFailures) == 0 && (expiry.Year < 2000 || expiry.Year > 2099 || expiry.Month < 1 || expiry.Month > 12) {
			t.Fatalf("accepted cc_exp as %+v", expiry)
		}
		if len(ccFailures) == 0 {
			_ = expiry.Check(time.Now())
		}
	})
}
