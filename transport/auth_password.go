package transport

import (
	"errors"
	"net/http"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// resetPassword is POST /password/reset (spec #8). Every failure is a 404 (rule 9): field errors keep their
// shape with that status, and any problem with the token is the documented message.
func (h customerHandlers) resetPassword(w http.ResponseWriter, r *http.Request) {
	site, ok := h.site(w, r)
	if !ok {
		return
	}
	params := requestParams(r)
	failures := fieldErrors{}
	email := requiredString(params, "email", failures)
	token := requiredString(params, "token", failures)
	password := newPassword(params, "password", "password_confirmation", site.StrongPasswordEnforcement, failures)
	if len(failures) > 0 {
		writeFieldErrors(w, r, http.StatusNotFound, failures)
		return
	}
	result, err := h.deps.CustomerCommands.ResetPassword(r.Context(), commandEnvelope(r, "customer.password.reset"),
		commands.PasswordResetRequest{TokenUse: commands.TokenUse{AccountID: site.AccountID, SiteID: site.ID, Token: token},
			Email: email, Password: password})
	switch {
	case errors.Is(err, customer.ErrTokenInvalid) || errors.Is(err, customer.ErrNotRegistered):
		writeError(w, r, http.StatusNotFound, i18n.ResetTokenInvalid)
	case err != nil:
		h.refuse(w, r, err)
	case h.caughtUp(w, r, result):
		writeData(w, http.StatusOK, messageBody{Message: i18n.Localize(requestLanguage(r), i18n.PasswordResetDone)})
	}
}

// updatePassword is POST /password/update (spec #9): the old password, and a new one (confirmed, different,
// following the site's rules) → Customer with a fresh JWT.
func (h customerHandlers) updatePassword(w http.ResponseWriter, r *http.Request) {
	site, ok := h.site(w, r)
	if !ok {
		return
	}
	params := requestParams(r)
	failures := fieldErrors{}
	old := requiredString(params, "old_password", failures)
	password := newPassword(params, "new_password", "confirm_new_password", site.StrongPasswordEnforcement, failures)
	if len(failures) > 0 {
		writeValidation(w, r, failures)
		return
	}
	result, err := h.deps.CustomerCommands.UpdatePassword(r.Context(), commandEnvelope(r, "customer.password.update"),
		commands.PasswordChange{Target: target(r), OldPassword: old, NewPassword: password})
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	h.answer(w, r, result, freshToken, nil)
}

// newPassword reads a new password and its confirmation: both required, the password following the site's
// rules (rule 5), the confirmation equal to it.
func newPassword(params Params, field, confirmationField string, strong bool, failures fieldErrors) string {
	password := requiredString(params, field, failures)
	confirmation := requiredString(params, confirmationField, failures)
	if _, broken := failures[field]; !broken {
		passwordFailures(field, password, strong, failures)
	}
	if _, broken := failures[confirmationField]; !broken && confirmation != password {
		failures[confirmationField] = append(failures[confirmationField], customerField(confirmationField, "same"))
	}
	return password
}
