package idp

import (
	"fmt"

	"github.com/coreos/go-oidc/v3/oidc"
)

// Identity is who a verified token identifies. Subject is the provider's stable user id; the profile
// fields are empty when the token does not carry them.
type Identity struct {
	Provider string
	Subject  string
	Email    string
	// EmailVerified is true only when the token says so (email_verified true or "true"). Facebook Limited
	// Login tokens carry no such claim, so their emails are never verified here.
	EmailVerified bool
	FirstName     string
	LastName      string
	Name          string
	Picture       string
	// Claims are every claim of the token, for metadata.
	Claims map[string]any
}

// identityOf reads the standard OpenID Connect claims of a verified token.
func identityOf(provider string, token *oidc.IDToken) (Identity, error) {
	var claims map[string]any
	if err := token.Claims(&claims); err != nil {
		return Identity{}, fmt.Errorf("%w: %s: claims: %v", ErrInvalidToken, provider, err)
	}
	text := func(name string) string {
		s, _ := claims[name].(string)
		return s
	}
	verified := false
	switch v := claims["email_verified"].(type) {
	case bool:
		verified = v
	case string:
		verified = v == "true"
	}
	return Identity{Provider: provider, Subject: token.Subject, Email: text("email"), EmailVerified: verified,
		FirstName: text("given_name"), LastName: text("family_name"), Name: text("name"), Picture: text("picture"),
		Claims: claims}, nil
}
