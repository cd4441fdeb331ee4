package commands_test

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

func TestATokenNoGatewayIssuesIsInvalidAndNothingIsRecorded(t *testing.T) {
	t.Parallel()
	w, who, id := anOpenInvoice(t, 1250)
	for _, token := range []string{"tok_visa\x00", "tok_visa\n", "tok_\xffvisa"} {
		// when the invoice is paid, or a card saved, with a token holding what no text of ours may hold
		_, payErr := w.invoices.Pay(t.Context(), newEnv(), commands.InvoicePayment{Target: who, InvoiceID: id, Token: token})
		_, saveErr := w.wallets.Save(t.Context(), newEnv(), commands.NewPaymentMethod{Target: who, Token: token})
		// then both are refused as an invalid token
		for call, err := range map[string]error{"pay": payErr, "save": saveErr} {
			if !sameRefusal(err, &payments.Declined{Reason: payments.InvalidToken}) {
				t.Errorf("%s with %q: %v, want an invalid token", call, token, err)
			}
		}
	}
	// and no attempt keeps such a token in the log, nothing was charged
	if s := w.state(t, id); s.Status != invoice.StatusOpen || s.Attempts != 0 || w.charges(t) != 0 {
		t.Fatalf("invoice = %+v with %d charges, want open without attempts", s, w.charges(t))
	}
}
