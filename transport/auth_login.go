package transport

import (
	"net/http"

	"github.com/pelcro-oss/pelcro-api/commands"
)

// login is POST /auth/login (spec #2): email or username, and password. Every failure to match is the same
// 404 (rule 6). Every attempt counts towards the lockout of the account the login names (rule 7) until one
// succeeds, whether or not such a customer exists, so the lockout reveals nothing either
// (commands.Customers.Login).
func (h customerHandlers) login(w http.ResponseWriter, r *http.Request) {
	params := requestParams(r)
	failures := fieldErrors{}
	password := requiredString(params, "password", failures)
	email := stringParam(params, "email", failures)
	username := stringParam(params, "username", failures)
	if email == "" && username == "" && len(failures["email"]) == 0 && len(failures["username"]) == 0 {
		failures["email"] = append(failures["email"], customerField("email", "required"))
	}
	if len(failures) > 0 {
		writeValidation(w, r, failures)
		return
	}
	site, _ := requestSite(r)
	result, err := h.deps.CustomerCommands.Login(r.Context(), commandEnvelope(r, "customer.login"),
		commands.Credentials{AccountID: site.AccountID, SiteID: site.ID, Email: email, Username: username, Password: password})
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	h.answer(w, r, result, freshToken, nil)
}

// logout is POST /auth/logout (spec #3): the presented token is revoked for every API instance, and the
// customer is answered without a token. Of concurrent logouts (or refreshes) of one token, only the one
// that revoked it succeeds; the others are 403.
func (h customerHandlers) logout(w http.ResponseWriter, r *http.Request) {
	p, _ := requestPrincipal(r)
	if !h.revoke(w, r, p) {
		return
	}
	h.answer(w, r, commands.CustomerResult{CustomerID: p.CustomerID}, noToken, nil)
}
