package transport

import (
	"net/http"
	"time"

	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// verificationLinkLifetime is how long an email verification link works (docs/customers.md: 7 days).
const verificationLinkLifetime = 7 * 24 * time.Hour

// requestEmailVerification is GET /customer/email/verify (spec #16): mails a verification link to the
// customer's current email. 400 when the site does not verify emails (its email_verify_enabled is off: as
// for passwordless login on a site without it, spec #5), 404 when the email is already verified, 429 past 5
// links an hour (rule 10).
func (h customerHandlers) requestEmailVerification(w http.ResponseWriter, r *http.Request) {
	site, ok := h.site(w, r)
	if !ok {
		return
	}
	if !site.EmailVerifyEnabled {
		writeError(w, r, http.StatusBadRequest, i18n.EmailVerificationOff)
		return
	}
	result, err := h.deps.CustomerCommands.RequestVerification(r.Context(), commandEnvelope(r, "customer.email.verification"),
		commands.VerificationRequest{Target: target(r), Lifetime: verificationLinkLifetime,
			Language: string(requestLanguage(r))})
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	h.answer(w, r, result, freshToken, nil)
}

// verifyEmail is POST /customer/email/verify (spec #17), public: the token names the customer. An unknown,
// expired, forged or used token, or one sent to an email the customer no longer has, is one 404. A link
// mailed while the site verified emails still confirms after the setting is turned off: it proves the
// email all the same. The answer
// carries no JWT: whoever holds the link is not signed in by it.
func (h customerHandlers) verifyEmail(w http.ResponseWriter, r *http.Request) {
	h.redeemToken(w, r, "email_verify_token", "customer.email.verify", i18n.EmailVerifyTokenInvalid, noToken,
		h.deps.CustomerCommands.VerifyEmail)
}
