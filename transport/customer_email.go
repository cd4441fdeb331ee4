package transport

import (
	"net/http"
	"time"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// verificationLinkLifetime is how long an email verification link works (docs/customers.md: 7 days).
const verificationLinkLifetime = 7 * 24 * time.Hour

// requestEmailVerification is GET /customer/email/verify (spec #16): mails a verification link to the
// customer's current email. 404 when it is already verified, 429 past 5 links an hour (rule 10).
func (h customerHandlers) requestEmailVerification(w http.ResponseWriter, r *http.Request) {
	result, err := h.deps.CustomerCommands.RequestVerification(r.Context(),
		commandEnvelope(r, "customer.email.verification"), target(r), verificationLinkLifetime)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	h.answer(w, r, result, freshToken, nil)
}

// verifyEmail is POST /customer/email/verify (spec #17), public: the token names the customer. An unknown,
// expired or forged token, or one sent to an email the customer no longer has, is one 404. The answer
// carries no JWT: whoever holds the link is not signed in by it.
func (h customerHandlers) verifyEmail(w http.ResponseWriter, r *http.Request) {
	h.redeemToken(w, r, "email_verify_token", "customer.email.verify", i18n.EmailVerifyTokenInvalid, noToken,
		h.deps.CustomerCommands.VerifyEmail)
}
