package transport

import (
	"maps"
	"net/http"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/commands"
)

// register is POST /auth/register (spec #1): a new customer with a password, answered with a JWT.
func (h customerHandlers) register(w http.ResponseWriter, r *http.Request) {
	site, ok := h.site(w, r)
	if !ok {
		return
	}
	params := requestParams(r)
	failures := fieldErrors{}
	email := requiredString(params, "email", failures)
	password := requiredString(params, "password", failures)
	username := stringParam(params, "username", failures)
	if _, broken := failures["password"]; !broken {
		passwordFailures("password", password, site.StrongPasswordEnforcement, failures)
	}
	if site.SecurityKey != nil {
		// Rule 29: with Risk Assessment on, the reCAPTCHA token is required.
		requiredString(params, "security_token", failures)
	}
	patch, profileFailures := profileInput(params)
	maps.Copy(failures, profileFailures)
	profile := patch.ApplyTo(customer.Profile{})
	// Spec 1.4: the stored language is the request's, resolved from the parameter, Accept-Language, the site.
	profile.Language = string(requestLanguage(r))
	info, _ := requestSite(r)
	registration := commands.Registration{AccountID: info.AccountID, SiteID: info.ID, Email: email,
		Username: username, Password: password, Profile: profile}
	for field, messages := range customerFieldErrors(customer.RegistrationProblems(customer.Registration{
		Email: email, Username: username, Profile: profile})) {
		if _, known := failures[field]; !known {
			failures[field] = messages
		}
	}
	if len(failures) > 0 {
		writeValidation(w, r, failures)
		return
	}
	result, err := h.deps.CustomerCommands.Register(r.Context(), commandEnvelope(r, "customer.register"), registration)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	h.answer(w, r, result, freshToken, nil)
}
