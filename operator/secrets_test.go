package operator

import (
	"reflect"
	"slices"
	"strings"
	"testing"
)

// credentialName tells a JSON field name that, by its name, holds a credential or a secret.
func credentialName(name string) bool {
	return strings.HasSuffix(name, "_hash") || strings.Contains(name, "password") && !strings.HasSuffix(name, "_at") ||
		name == "token" || strings.HasSuffix(name, "_token") || name == "nonce" || name == "fingerprint" ||
		strings.Contains(name, "secret") || strings.Contains(name, "wrapped")
}

// credentialPaths lists the JSON paths of t's fields named like credentials, through nested structs.
func credentialPaths(t reflect.Type, prefix string, depth int) []string {
	for t.Kind() == reflect.Pointer || t.Kind() == reflect.Slice || t.Kind() == reflect.Array {
		t = t.Elem()
	}
	if t.Kind() != reflect.Struct || depth > 8 {
		return nil
	}
	var paths []string
	for i := range t.NumField() {
		f := t.Field(i)
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch {
		case !f.IsExported() || name == "-":
			continue
		case f.Anonymous && name == "":
			paths = append(paths, credentialPaths(f.Type, prefix, depth+1)...)
			continue
		case name == "":
			name = f.Name
		}
		if credentialName(name) && f.Type.Kind() == reflect.String {
			paths = append(paths, prefix+name)
		}
		paths = append(paths, credentialPaths(f.Type, prefix+name+".", depth+1)...)
	}
	return paths
}

// TestEveryCredentialFieldOfEveryEventIsSecret fails for an event field named like a credential (a hash, a
// token, a nonce, a fingerprint, a secret) that is not tagged secret, so operators would see it revealed.
func TestEveryCredentialFieldOfEveryEventIsSecret(t *testing.T) {
	t.Parallel()
	for _, r := range AllRegistries {
		for _, name := range r.Names() {
			value, err := r.Decode(name, 1, []byte(`{}`))
			if err != nil {
				t.Fatalf("decode an empty %q: %v", name, err)
			}
			for _, path := range credentialPaths(reflect.TypeOf(value), "", 0) {
				if !slices.Contains(r.SecretFields(name), path) {
					t.Errorf("event %q: field %s holds a credential but is not tagged secret:\"true\"", name, path)
				}
			}
		}
	}
}

// Given a payload with secrets at the top, nested, in each element of an array, empty and absent, when its
// secrets are hidden, then each given value reads Secret, empty ones stay empty and numbers keep their digits.
func TestHideSecretsFollowsPathsThroughObjectsAndArrays(t *testing.T) {
	t.Parallel()
	data := []byte(`{"hash":"h","card":{"fingerprint":"f","last4":"4242"},"cards":[{"fingerprint":"a"},{"fingerprint":""}],"amount":12345678901234567}`)
	got, err := hideSecrets(data, []string{"hash", "card.fingerprint", "cards.fingerprint", "absent.token"})
	if err != nil {
		t.Fatal(err)
	}
	want := `{"amount":12345678901234567,"card":{"fingerprint":"[secret]","last4":"4242"},"cards":[{"fingerprint":"[secret]"},{"fingerprint":""}],"hash":"[secret]"}`
	if string(got) != want {
		t.Fatalf("got  %s\nwant %s", got, want)
	}
}
