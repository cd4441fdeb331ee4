package operator_test

import (
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
	"github.com/pelcro-oss/pelcro-api/operator"
)

// Given events holding a password hash, token hashes, a token's nonce, a gateway's card token and a card's
// fingerprint, when an operator reads them with personal data revealed or not, then personal data shows
// only when revealed, and no secret ever shows: each reads "[secret]".
func TestRevealShowsPersonalDataButNeverSecrets(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	w.append("customer-7", "customer:7", "req-1",
		customer.Registered{CustomerID: annID, AccountID: 1, SiteID: annSite, Email: annEmail,
			PasswordHash: "$argon2id$v=19$m=65536,t=3,p=4$SECRET-HASH-1", RegisteredAt: at},
		customer.OneTimeTokenIssued{CustomerID: annID, SiteID: annSite, Purpose: "password_reset", Email: annEmail,
			Nonce: "SECRET-NONCE", TokenHash: "SECRET-TOKEN-HASH", ExpiresAt: at, IssuedAt: at},
		customer.PasswordChanged{CustomerID: annID, PasswordHash: "$argon2id$SECRET-HASH-2",
			ResetTokenHash: "SECRET-RESET-HASH", ChangedAt: at},
		customer.PasswordRehashed{CustomerID: annID, PasswordHash: "$argon2id$SECRET-HASH-3", RehashedAt: at})
	w.append("wallet-7", "customer:7", "req-2", wallet.PaymentMethodSaved{CustomerID: annID, AccountID: 1,
		PaymentMethodID: 11, Gateway: "stripe", ObjectID: "pm_1",
		Card: wallet.Card{Brand: "visa", Last4: "4242", ExpMonth: 4, ExpYear: 2030, Fingerprint: "SECRET-FINGERPRINT"}, SavedAt: at})
	w.append("invoice-20", "customer:7", "req-3", invoice.PaymentAttempted{InvoiceID: 20, Attempt: 1,
		Means: invoice.Means{Gateway: "stripe", Token: "SECRET-GATEWAY-TOKEN"}, Amount: 1250, Currency: "usd", AttemptedAt: at})

	for _, reveal := range []bool{false, true} {
		t.Run(fmt.Sprint("reveal ", reveal), func(t *testing.T) {
			t.Parallel()
			var shown strings.Builder
			for _, stream := range []string{"customer-7", "wallet-7", "invoice-20"} {
				entries, err := w.op.Events(t.Context(), stream, 0, 10, reveal)
				if err != nil {
					t.Fatal(err)
				}
				for _, e := range entries {
					shown.Write(e.Data)
				}
			}
			text := shown.String()
			if strings.Contains(text, "SECRET") {
				t.Errorf("a secret shows:\n%s", text)
			}
			if n := strings.Count(text, `"`+operator.Secret+`"`); n != 8 {
				t.Errorf("%d fields read %q, want 8:\n%s", n, operator.Secret, text)
			}
			if strings.Contains(text, annEmail) != reveal || !strings.Contains(text, `"last4":"4242"`) {
				t.Errorf("the email shows: %v, want %v; the card's last digits must show:\n%s", !reveal, reveal, text)
			}
		})
	}
}
