package transport

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// resetLinkLifetime is how long a password-reset link works (not documented; Laravel's default).
const resetLinkLifetime = time.Hour

// passwordlessLifetime is the site's passwordless_token_duration in days (rule 8), the default when unset.
func passwordlessLifetime(days int64) time.Duration {
	return time.Duration(catalog.EffectivePasswordlessTokenDuration(days)) * 24 * time.Hour
}

// passwordlessRequest is POST /auth/passwordless/request (spec #5): mails a login link. Unlike login, it
// tells an unknown email apart (404, rule 6).
func (h customerHandlers) passwordlessRequest(w http.ResponseWriter, r *http.Request) {
	site, ok := h.passwordlessSite(w, r)
	if !ok {
		return
	}
	h.mailToken(w, r, customer.PurposePasswordless, passwordlessLifetime(site.PasswordlessTokenDuration), i18n.LoginLinkSent)
}

// forgotPassword is POST /password/forgot (spec #7): mails a reset link; an unknown email gets the login
// failure's 404, so the endpoint reveals nothing (rule 6).
func (h customerHandlers) forgotPassword(w http.ResponseWriter, r *http.Request) {
	h.mailToken(w, r, customer.PurposePasswordReset, resetLinkLifetime, i18n.ResetLinkSent)
}

// mailToken issues a one-time token for the email in the request; the mail outbox sends the link.
func (h customerHandlers) mailToken(w http.ResponseWriter, r *http.Request, purpose customer.Purpose,
	lifetime time.Duration, sent i18n.MessageID) {
	params := requestParams(r)
	failures := fieldErrors{}
	email := requiredString(params, "email", failures)
	if len(failures) == 0 {
		for field, messages := range customerFieldErrors(customer.EmailProblems(customer.NormaliseEmail(email))) {
			failures[field] = messages
		}
	}
	if len(failures) > 0 {
		writeValidation(w, r, failures)
		return
	}
	site, _ := requestSite(r)
	_, err := h.deps.CustomerCommands.RequestToken(r.Context(), commandEnvelope(r, "customer.token."+string(purpose)),
		commands.MailedToken{AccountID: site.AccountID, SiteID: site.ID, Email: email, Purpose: purpose, Lifetime: lifetime,
			Language: string(requestLanguage(r))})
	switch {
	case errors.Is(err, commands.ErrCustomerNotFound) && purpose == customer.PurposePasswordReset:
		writeError(w, r, http.StatusNotFound, i18n.InvalidCredentials)
	case err != nil:
		h.refuse(w, r, err)
	default:
		writeData(w, http.StatusOK, messageBody{Message: i18n.Localize(requestLanguage(r), sent)})
	}
}

// messageBody is the answer of the endpoints that only confirm: {"data":{"message":…}}.
type messageBody struct {
	Message string `json:"message"`
}

// passwordlessLogin is POST /auth/passwordless/login (spec #6): the mailed token signs the customer in.
func (h customerHandlers) passwordlessLogin(w http.ResponseWriter, r *http.Request) {
	if _, ok := h.passwordlessSite(w, r); !ok {
		return
	}
	h.redeemToken(w, r, "token", "customer.login.passwordless", i18n.LoginTokenInvalid, freshToken,
		h.deps.CustomerCommands.LoginWithToken)
}

// passwordlessSite returns the request's site when it has passwordless login on (rule 8); otherwise it has
// answered: 400 when the feature is off, 500 when the site cannot be read.
func (h customerHandlers) passwordlessSite(w http.ResponseWriter, r *http.Request) (queries.Site, bool) {
	site, ok := h.site(w, r)
	if ok && !site.PasswordlessEnabled {
		writeError(w, r, http.StatusBadRequest, i18n.PasswordlessDisabled)
		return site, false
	}
	return site, ok
}

// redeemToken reads the mailed token from the input field, redeems it, and answers with the Customer (mode
// says with which token), or 404 with the invalid message for a token that is no good.
func (h customerHandlers) redeemToken(w http.ResponseWriter, r *http.Request, field, operation string,
	invalid i18n.MessageID, mode tokenMode,
	redeem func(context.Context, commands.Envelope, commands.TokenUse) (commands.CustomerResult, error)) {
	failures := fieldErrors{}
	token := requiredString(requestParams(r), field, failures)
	if len(failures) > 0 {
		writeValidation(w, r, failures)
		return
	}
	site, _ := requestSite(r)
	result, err := redeem(r.Context(), commandEnvelope(r, operation),
		commands.TokenUse{AccountID: site.AccountID, SiteID: site.ID, Token: token})
	if errors.Is(err, customer.ErrTokenInvalid) {
		writeError(w, r, http.StatusNotFound, invalid)
		return
	}
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	h.answer(w, r, result, mode, nil)
}
