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
		{"account 0", []string{"create", "--account", "0"}, `--account "0": want an account id: a whole number, 1 or more`},
		{"a negative account", []string{"create", "--account", "-3"}, `--account "-3": want an account id: a whole number, 1 or more`},
		{"a name with a newline", []string{"create", "--account", "1", "--name", "desk\npak_x  1  forged"}, "--name must be at most 100 printable characters"},
		{"a name with an escape", []string{"create", "--account", "1", "--name", "desk\x1b[2J"}, "--name must be at most 100 printable characters"},
		{"a name of 100 KB", []string{"create", "--account", "1", "--name", strings.Repeat("a", 100_000)}, "--name must be at most 100 printable characters"},
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

	// Given a key whose name was stored before names were checked, when the keys are listed, then its name
	// shows escaped on one line
	db, err := pg.Connect(t.Context(), databaseURL)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.ExecContext(t.Context(), `INSERT INTO api_keys (id, account_id, name, secret_hash, created_at)
		VALUES ('pak_00000000000000aa', 1, E'desk\npak_forged\t1\x1b[2J', '\x00', now())`); err != nil {
		t.Fatal(err)
	}
	out, _, err := runPelcro(t, "--database-url", databaseURL, "apikeys", "list")
	if err != nil || strings.Count(out, "\n") != 2 || strings.ContainsAny(out, "\t\x1b") || !strings.Contains(out, `"desk\npak_forged\t1\x1b[2J"`) {
		t.Fatalf("list = %q, %v", out, err)
	}
}
