package transport

import (
	"errors"
	"net/http"

	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// getCustomer is POST /customer (spec #10): the authenticated customer with the token it came with. Nothing
// was written, so there is nothing to wait for.
func (h customerHandlers) getCustomer(w http.ResponseWriter, r *http.Request) {
	h.answer(w, r, commands.CustomerResult{CustomerID: target(r).CustomerID}, sameToken, nil)
}

// refreshToken is POST /customer/refresh (spec #12): the token presented is revoked (as tymon/jwt-auth
// does) before a new one is issued, so a stolen token cannot be kept alive by refreshing it. Of concurrent
// refreshes of one token only the one that revoked it gets a new token; the others are 403 as if they came
// after it, so one token never forks into several.
func (h customerHandlers) refreshToken(w http.ResponseWriter, r *http.Request) {
	p, _ := requestPrincipal(r)
	if !h.revoke(w, r, p) {
		return
	}
	h.answer(w, r, commands.CustomerResult{CustomerID: p.CustomerID}, freshToken, nil)
}

// revoke revokes the request's token and reports whether this request did; otherwise it has answered:
// 403 when another request revoked the token first, 500 when the revocation failed.
func (h customerHandlers) revoke(w http.ResponseWriter, r *http.Request, p Principal) bool {
	err := h.deps.CustomerTokens.Revoke(r.Context(), p)
	switch {
	case errors.Is(err, ErrTokenRevoked):
		writeError(w, r, http.StatusForbidden, i18n.TokenBlacklisted)
	case err != nil:
		internalError(w, r, h.deps.Logger, "revoking a customer token", err)
	}
	return err == nil
}

// updateCustomer is PUT /customer (spec #11): only the fields sent change; metadata is merged, a key sent as
// null is removed (form bodies may send metadata[key]=value, see profileUpdateInput). A new email is
// unconfirmed and, when the site verifies emails, a verification link is mailed (rule 10): the command
// decides both from the customer's own state, with the site's setting, in one append.
func (h customerHandlers) updateCustomer(w http.ResponseWriter, r *http.Request) {
	in, failures := profileUpdateInput(requestParams(r))
	if len(failures) > 0 {
		writeValidation(w, r, failures)
		return
	}
	site, ok := h.site(w, r)
	if !ok {
		return
	}
	in.Target = target(r)
	in.VerifyNewEmail, in.VerificationLifetime = site.EmailVerifyEnabled, verificationLinkLifetime
	in.MailLanguage = string(requestLanguage(r))
	result, err := h.deps.CustomerCommands.UpdateProfile(r.Context(), commandEnvelope(r, "customer.update"), in)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	h.answer(w, r, result, freshToken, nil)
}
