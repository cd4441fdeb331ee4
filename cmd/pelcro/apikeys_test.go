package main

import (
	"regexp"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/apikeys"
	"github.com/pelcro-oss/pelcro-api/internal/pg"
)

func TestAPIKeysCreateListRevoke(t *testing.T) {
	t.Parallel()
	// Given an installation whose catalog (account 1) is projected
	cfg := catalogStore(t)
	runProjectionsUntilCaughtUp(t, cfg)
	apikeysCLI := func(args ...string) (string, error) {
		out, _, err := runPelcro(t, append([]string{"--database-url", cfg.DatabaseURL, "apikeys"}, args...)...)
		return out, err
	}

	// When a key is created for account 1
	out, err := apikeysCLI("create", "--account", "1", "--name", "support desk")
	if err != nil {
		t.Fatalf("create: %v", err)
	}
	key := strings.TrimSpace(out)
	if !regexp.MustCompile(`^pak_[0-9a-f]{16}_[0-9a-f]{64}$`).MatchString(key) {
		t.Fatalf("create printed %q, want the key alone", out)
	}
	id := key[:len("pak_")+16]

	// Then it authenticates as account 1, and list shows its id but never its secret
	db, err := pg.Connect(t.Context(), cfg.DatabaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if k, err := apikeys.NewStore(db, nil).Authenticate(t.Context(), key); err != nil || k.AccountID != 1 {
		t.Fatalf("Authenticate = %+v, %v", k, err)
	}
	listed, err := apikeysCLI("list")
	if err != nil || !regexp.MustCompile(id+`\s+1\s+support desk\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+-`).MatchString(listed) ||
		strings.Contains(listed, key) {
		t.Fatalf("list = %q, %v", listed, err)
	}

	// And once revoked by its id it no longer authenticates, and list says when
	if _, err := apikeysCLI("revoke", id); err != nil {
		t.Fatalf("revoke: %v", err)
	}
	if _, err := apikeys.NewStore(db, nil).Authenticate(t.Context(), key); err == nil {
		t.Fatal("a revoked key still authenticates")
	}
	if listed, _ := apikeysCLI("list", "--json"); !strings.Contains(listed, `"revoked_at": "20`) {
		t.Fatalf("list --json after revoke = %s", listed)
	}
}

func TestAPIKeysRefusals(t *testing.T) {
	t.Parallel()
	databaseURL := migratedDatabase(t)
	cases := []struct {
		name string
		args []string
		want string
	}{
		{"no account", []string{"create"}, "--account is required"},
		{"an account without a site", []string{"create", "--account", "42"}, "account 42 has no site"},
		{"an unknown key", []string{"revoke", "pak_0123456789abcdef"}, `no key has the id "pak_0123456789abcdef"`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			_, _, err := runPelcro(t, append([]string{"--database-url", databaseURL, "apikeys"}, tc.args...)...)
			if err == nil || !strings.Contains(err.Error(), tc.want) {
				t.Fatalf("err = %v, want %q", err, tc.want)
			}
		})
	}
	if out, _, err := runPelcro(t, "--database-url", databaseURL, "apikeys", "list"); err != nil || out != "no keys\n" {
		t.Fatalf("list = %q, %v", out, err)
	}
}
