package aggregates_test

import (
	"slices"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

type card struct {
	Last4       string `json:"last4"`
	Fingerprint string `json:"fingerprint,omitempty" secret:"true"`
}

type gatewayIDs struct {
	Token string `json:"token" secret:"true"`
}

type accountOpened struct {
	gatewayIDs
	PasswordHash string  `json:"password_hash" personal:"true" secret:"true"`
	Card         card    `json:"card"`
	Backup       *card   `json:"backup,omitempty"`
	Cards        []card  `json:"cards"`
	Note         string  `json:"note"`
	Skipped      string  `json:"-" secret:"true"`
	Nested       *nested `json:"nested"`
}

type nested struct {
	Again *nested `json:"again"`
}

// Given an event with secret fields at its top level, in nested, pointed-to, repeated and embedded structs,
// when it is registered, then SecretFields names each by its JSON path, and nothing else.
func TestSecretFieldsAreListedByJSONPath(t *testing.T) {
	t.Parallel()
	r := aggregates.NewRegistry()
	aggregates.MustRegister[accountOpened](r, "account.opened")
	want := []string{"token", "password_hash", "card.fingerprint", "backup.fingerprint", "cards.fingerprint"}
	if got := r.SecretFields("account.opened"); !slices.Equal(got, want) {
		t.Fatalf("SecretFields = %v, want %v", got, want)
	}
	if got := r.SecretFields("account.unknown"); got != nil {
		t.Fatalf("SecretFields of an unknown event = %v", got)
	}
}
