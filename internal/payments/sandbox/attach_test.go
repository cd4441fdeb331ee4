package sandbox_test

import (
	"sync"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/payments"
	"github.com/pelcro-oss/pelcro-api/internal/payments/sandbox"
)

func TestARetriedAttachSavesOneCardAndAnswersTheFirst(t *testing.T) {
	t.Parallel()
	tests := []struct {
		token string
		// cards and intents are the rows one save leaves.
		cards, intents int
	}{
		{token: "tok_visa", cards: 1},
		{token: "tok_threeDSecure2Required", cards: 1, intents: 1},
		{token: "tok_chargeDeclined"},
		{token: "tok_unknown"},
	}
	for _, tt := range tests {
		t.Run(tt.token, func(t *testing.T) {
			t.Parallel()
			db := open(t, newDatabase(t))
			g := sandbox.New(db)
			req := payments.AttachCardRequest{Customer: payments.Customer{ID: 7}, Token: tt.token, IdempotencyKey: "wallet-save:cmd-1"}
			// when 16 attempts with one key arrive at once (a client retrying after timeouts, on several instances)
			answers := make([]payments.AttachedCard, 16)
			errs := make([]error, 16)
			var wg sync.WaitGroup
			for i := range answers {
				wg.Go(func() { answers[i], errs[i] = g.AttachCard(t.Context(), req) })
			}
			wg.Wait()
			// then every attempt gets the first one's answer
			for i := range answers {
				if errs[i] != nil && errs[i].Error() != errs[0].Error() {
					t.Fatalf("answers %v, want one", errs)
				}
				if answers[i].Card.GatewayID != answers[0].Card.GatewayID || (answers[i].Intent == nil) != (answers[0].Intent == nil) {
					t.Fatalf("cards %+v and %+v, want one", answers[i], answers[0])
				}
			}
			if (errs[0] == nil) != (tt.cards == 1) {
				t.Fatalf("attach of %s: %v", tt.token, errs[0])
			}
			// and one save's rows are in, with the intent the answer names
			var cards, intents int
			err := db.QueryRow(`SELECT (SELECT count(*) FROM payments_sandbox_cards), (SELECT count(*) FROM payments_sandbox_intents)`).
				Scan(&cards, &intents)
			if err != nil || cards != tt.cards || intents != tt.intents {
				t.Fatalf("%d cards, %d intents (%v), want %d and %d", cards, intents, err, tt.cards, tt.intents)
			}
			if answers[0].Intent != nil {
				stored, err := g.Intent(t.Context(), answers[0].Intent.ID)
				if err != nil || stored != *answers[0].Intent {
					t.Fatalf("stored intent %+v (%v), answered %+v", stored, err, *answers[0].Intent)
				}
			}
		})
	}
}
