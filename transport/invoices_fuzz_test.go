package transport

import (
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// FuzzInvoicePaymentInput feeds arbitrary bodies through what POST /invoices/{id}/pay decodes. It must never
// panic; it either names the means (a positive source id, or a token with its gateway) or refuses with
// messages every language defines, and never both.
func FuzzInvoicePaymentInput(f *testing.F) {
	f.Add("application/json", `{"source_id":12}`)
	f.Add("application/json", `{"source_id":"-1","gateway_token":"tok_visa"}`)
	f.Add("application/json", `{"payment_gateway":"stripe","gateway_token":{"a":[1]}}`)
	f.Add("application/json", `{"source_id":99999999999999999999999,"payment_gateway":null}`)
	f.Add("application/x-www-form-urlencoded", "payment_gateway=stripe&gateway_token=tok_visa")
	f.Fuzz(func(t *testing.T, contentType, body string) {
		params, failure := decodeParams(contentType, "", strings.NewReader(body))
		if failure != nil {
			return
		}
		in, failures := invoicePaymentInput(params)
		for field, messages := range failures {
			for _, m := range messages {
				if i18n.Localize(i18n.Fallback, m) == string(m) {
					t.Fatalf("field %s has message %s, which no catalog defines", field, m)
				}
			}
		}
		if len(failures) == 0 && in.SourceID <= 0 && in.Gateway == "" {
			t.Fatalf("accepted %q as %+v: no means", body, in)
		}
	})
}
