package transport

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// customerField is the message id of a broken rule on an input field of the customer endpoints
// (ruleMessage: "customer.<field>.<rule>", in locales/customer.<lang>.json).
func customerField(field, rule string) i18n.MessageID {
	return ruleMessage("customer", field, rule)
}

// ruleMessage is the message of a broken rule on a field: a required field's is i18n.Required, the one
// wording of every endpoint; any other is the area's own "<area>.<field>.<rule>".
func ruleMessage(area, field, rule string) i18n.MessageID {
	if rule == "required" {
		return i18n.Required(field)
	}
	return i18n.MessageID(area + "." + field + "." + rule)
}

// customerFieldErrors words the customer aggregate's problems per field.
func customerFieldErrors(problems customer.Problems) fieldErrors {
	return problemFieldErrors("customer", problems)
}

// problemFieldErrors words an aggregate's problems per field (ruleMessage), messages which every locale
// file of the area defines (checked by the area's message tests).
func problemFieldErrors(area string, problems aggregates.FieldProblems) fieldErrors {
	failures := fieldErrors{}
	for _, p := range problems {
		failures[p.Field] = append(failures[p.Field], ruleMessage(area, p.Field, string(p.Rule)))
	}
	return failures
}

// refuse answers a command's refusal in the shape and status the spec gives it (docs/customers.md), or 500
// for a failure that is not a refusal. Endpoints whose refusals differ (password reset: always 404) map
// their own first.
func (h customerHandlers) refuse(w http.ResponseWriter, r *http.Request, err error) {
	var problems customer.Problems
	switch {
	case errors.As(err, &problems):
		writeValidation(w, r, customerFieldErrors(problems))
	case errors.Is(err, commands.ErrEmailTaken) || errors.Is(err, customer.ErrIdentityConflict):
		// Another account at the provider claims the customer with this email: the email is taken for it.
		writeValidation(w, r, fieldErrors{"email": {customerField("email", "taken")}})
	case errors.Is(err, commands.ErrUsernameTaken):
		writeValidation(w, r, fieldErrors{"username": {customerField("username", "taken")}})
	case errors.Is(err, customer.ErrWrongPassword):
		writeValidation(w, r, fieldErrors{"old_password": {customerField("old_password", "incorrect")}})
	case errors.Is(err, customer.ErrSamePassword):
		writeValidation(w, r, fieldErrors{"new_password": {customerField("new_password", "different")}})
	case errors.Is(err, commands.ErrTooManyLoginAttempts):
		setRetryAfter(w, err)
		writeError(w, r, http.StatusTooManyRequests, i18n.TooManyLoginAttempts)
	case errors.Is(err, commands.ErrInvalidCredentials):
		writeError(w, r, http.StatusNotFound, i18n.InvalidCredentials)
	case errors.Is(err, commands.ErrCustomerNotFound):
		writeError(w, r, http.StatusNotFound, i18n.CustomerEmailNotFound)
	case errors.Is(err, customer.ErrThrottled):
		setRetryAfter(w, err)
		writeError(w, r, http.StatusTooManyRequests, i18n.TooManyRequests)
	case errors.Is(err, customer.ErrAlreadyVerified):
		writeError(w, r, http.StatusNotFound, i18n.EmailAlreadyVerified)
	case errors.Is(err, customer.ErrAddressNotFound):
		writeError(w, r, http.StatusNotFound, i18n.AddressNotFound)
	case errors.Is(err, commands.ErrMoveWithTaxes):
		writeError(w, r, http.StatusBadRequest, i18n.AddressMoveTaxes)
	case errors.Is(err, customer.ErrNotSoldThere):
		writeError(w, r, http.StatusBadRequest, i18n.AddressMoveNotSold)
	case errors.Is(err, customer.ErrNotRegistered):
		// The token's customer does not exist in this account (any more): the token is no good here.
		writeError(w, r, http.StatusUnauthorized, i18n.TokenInvalid)
	default:
		internalError(w, r, h.deps.Logger, "customer command failed", err)
	}
}

// setRetryAfter names in Retry-After, in whole seconds rounded up (at least 1), when a request refused with
// 429 may be made again: the wait of a locked login (commands.LockedError) or of a throttled one-time token
// (customer.ThrottledError). A refusal that does not say sets nothing.
func setRetryAfter(w http.ResponseWriter, err error) {
	var wait time.Duration
	if locked, ok := errors.AsType[*commands.LockedError](err); ok {
		wait = locked.RetryAfter
	} else if throttled, ok := errors.AsType[*customer.ThrottledError](err); ok {
		wait = throttled.RetryAfter
	} else {
		return
	}
	w.Header().Set("Retry-After", strconv.FormatInt(max(int64((wait+time.Second-1)/time.Second), 1), 10))
}
