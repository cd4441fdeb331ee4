package transport

import (
	"errors"
	"maps"
	"net/http"
	"slices"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
	"github.com/pelcro-oss/pelcro-api/internal/idp"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// identityProviders are the idp_name values of spec #4.
var identityProviders = []string{"google", "facebook", "auth0"}

// identityLogin is POST /auth/idp/login (spec #4): the provider's ID token is verified against the site's
// settings for that provider, then the customer with that email is signed in, or registered.
func (h customerHandlers) identityLogin(w http.ResponseWriter, r *http.Request) {
	site, ok := h.site(w, r)
	if !ok {
		return
	}
	params := requestParams(r)
	failures := fieldErrors{}
	provider := requiredString(params, "idp_name", failures)
	token := requiredString(params, "idp_token", failures)
	if _, broken := failures["idp_name"]; !broken && !slices.Contains(identityProviders, provider) {
		failures["idp_name"] = append(failures["idp_name"], customerField("idp_name", "one_of"))
	}
	email := stringParam(params, "email", failures)
	patch, profileFailures := profileInput(params)
	maps.Copy(failures, profileFailures)
	if len(failures) > 0 {
		writeValidation(w, r, failures)
		return
	}
	identity, err := h.deps.Identities.Verify(r.Context(), provider, identitySettings(site), token)
	switch {
	case errors.Is(err, idp.ErrProviderNotConfigured):
		writeError(w, r, http.StatusBadRequest, i18n.IdentityProviderOff)
		return
	case errors.Is(err, idp.ErrInvalidToken) || errors.Is(err, idp.ErrUnknownProvider):
		writeError(w, r, http.StatusUnauthorized, i18n.IdentityProviderFailed)
		return
	case err != nil:
		internalError(w, r, h.deps.Logger, "verifying an identity provider token", err)
		return
	}
	h.signInIdentity(w, r, site, identity, email, patch)
}

// signInIdentity signs in or registers the verified identity. The provider's email wins over the one the
// front end sent; only the provider's word that it verified the email lets it sign in an existing customer.
func (h customerHandlers) signInIdentity(w http.ResponseWriter, r *http.Request, site queries.Site,
	identity idp.Identity, email string, patch customer.ProfilePatch) {
	verified := identity.EmailVerified
	if identity.Email != "" {
		email = identity.Email
	} else {
		verified = false
	}
	if identity.FirstName != "" {
		patch.FirstName = &identity.FirstName
	}
	if identity.LastName != "" {
		patch.LastName = &identity.LastName
	}
	profile := patch.ApplyTo(customer.Profile{Language: string(requestLanguage(r))})
	profile.Metadata = map[string]any{"subject": identity.Subject, "name": identity.Name, "picture": identity.Picture}
	result, err := h.deps.CustomerCommands.SignInWithIdentity(r.Context(), commandEnvelope(r, "customer.login.idp"),
		commands.IdentitySignIn{AccountID: site.AccountID, SiteID: site.ID, Provider: identity.Provider,
			Subject: identity.Subject, Email: email, EmailVerified: verified, Profile: profile})
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	h.answer(w, r, result, freshToken, nil)
}

// identitySettings are the site's ids at the providers (spec 3.2); unset ones are empty.
func identitySettings(site queries.Site) idp.Settings {
	var settings idp.Settings
	for _, id := range []*string{site.GoogleAppID, site.GoogleAppIDIOS, site.GoogleAppIDAndroid} {
		if id != nil && *id != "" {
			settings.GoogleClientIDs = append(settings.GoogleClientIDs, *id)
		}
	}
	settings.FacebookAppID = deref(site.FacebookAppID)
	settings.Auth0BaseURL = deref(site.Auth0BaseURL)
	settings.Auth0ClientID = deref(site.Auth0ClientID)
	return settings
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
