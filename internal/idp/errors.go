package idp

import "errors"

// ErrUnknownProvider is returned for a provider name other than "google", "facebook" and "auth0".
var ErrUnknownProvider = errors.New("idp: unknown identity provider")

// ErrProviderNotConfigured is returned when the site has no id at the provider (Settings leaves it empty),
// so no token of that provider can be meant for it.
var ErrProviderNotConfigured = errors.New("idp: identity provider not configured for the site")

// ErrInvalidToken matches every refusal of the token itself: malformed, signed with an unsupported
// algorithm or an unknown key, a bad signature, another issuer or audience, expired, or without a subject.
// It also covers keys that could not be fetched right now (see Config.MinKeyRefresh).
var ErrInvalidToken = errors.New("idp: invalid identity token")
