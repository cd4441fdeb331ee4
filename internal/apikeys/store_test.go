package apikeys_test

import (
	"context"
	"errors"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/internal/apikeys"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest"
)

var keyShape = regexp.MustCompile(`^pak_[0-9a-f]{16}_[0-9a-f]{64}$`)

func TestKeys(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db := pgtest.MigratedDatabase(t)
	store := apikeys.NewStore(db, nil)

	// Given a key created for account 7
	created, key, err := store.Create(ctx, 7, "support desk")
	if err != nil {
		t.Fatal(err)
	}
	if !keyShape.MatchString(key) || !strings.HasPrefix(key, created.ID+"_") {
		t.Fatalf("key %q (id %q): want pak_<16 hex>_<64 hex> starting with its id", key, created.ID)
	}

	t.Run("the database keeps no usable secret", func(t *testing.T) {
		var holding, hashed int
		if err := db.GetContext(ctx, &holding, `SELECT count(*) FROM api_keys WHERE strpos(row_to_json(api_keys)::text, $1) > 0`,
			key[len(created.ID)+1:]); err != nil || holding != 0 {
			t.Fatalf("rows holding the secret: %d, %v", holding, err)
		}
		if err := db.GetContext(ctx, &hashed, `SELECT count(*) FROM api_keys WHERE secret_hash = sha256(convert_to($1, 'UTF8'))`,
			key); err != nil || hashed != 1 {
			t.Fatalf("rows with the key's SHA-256: %d, %v", hashed, err)
		}
	})

	t.Run("the key authenticates as its account", func(t *testing.T) {
		got, err := store.Authenticate(ctx, key)
		if err != nil || got.AccountID != 7 || got.ID != created.ID || got.Name != "support desk" {
			t.Fatalf("Authenticate = %+v, %v", got, err)
		}
	})

	for name, presented := range map[string]string{
		"empty":                 "",
		"its id alone":          created.ID,
		"last digit changed":    key[:len(key)-1] + flip(key[len(key)-1]),
		"unknown id, same rest": "pak_0000000000000000" + key[len(created.ID):],
		"not hex":               key[:len(key)-1] + "z",
		"longer":                key + "0",
		"no separator":          strings.Replace(key, created.ID+"_", created.ID+"0", 1),
	} {
		t.Run("refuses "+name, func(t *testing.T) {
			if _, err := store.Authenticate(ctx, presented); !errors.Is(err, apikeys.ErrInvalidKey) {
				t.Fatalf("Authenticate(%q) error = %v, want ErrInvalidKey", presented, err)
			}
		})
	}
}

func TestRevokedKeyAndItsSessionsStopWorking(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := apikeys.NewStore(pgtest.MigratedDatabase(t), nil)
	created, key, err := store.Create(ctx, 3, "")
	if err != nil {
		t.Fatal(err)
	}
	other, otherKey, err := store.Create(ctx, 4, "other")
	if err != nil {
		t.Fatal(err)
	}
	token, _, err := store.StartSession(ctx, key)
	if err != nil {
		t.Fatal(err)
	}
	if got, err := store.Session(ctx, token); err != nil || got.ID != created.ID {
		t.Fatalf("Session = %+v, %v", got, err)
	}

	// When the key is revoked by its id
	if err := store.Revoke(ctx, created.ID); err != nil {
		t.Fatal(err)
	}

	// Then neither the key nor its session work, and the other key still does
	if _, err := store.Authenticate(ctx, key); !errors.Is(err, apikeys.ErrInvalidKey) {
		t.Fatalf("revoked key: %v", err)
	}
	if _, err := store.Session(ctx, token); !errors.Is(err, apikeys.ErrInvalidKey) {
		t.Fatalf("session of a revoked key: %v", err)
	}
	if got, err := store.Authenticate(ctx, otherKey); err != nil || got.ID != other.ID {
		t.Fatalf("other key: %+v, %v", got, err)
	}
	if err := store.Revoke(ctx, created.ID); err != nil {
		t.Fatalf("revoking twice: %v", err)
	}
	if err := store.Revoke(ctx, "pak_ffffffffffffffff"); !errors.Is(err, apikeys.ErrUnknownKey) {
		t.Fatalf("unknown id: %v", err)
	}
	keys, err := store.List(ctx)
	if err != nil || len(keys) != 2 || keys[0].RevokedAt == nil || keys[1].RevokedAt != nil {
		t.Fatalf("List = %+v, %v", keys, err)
	}
}

func TestSessionsEnd(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	now := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	store := apikeys.NewStore(pgtest.MigratedDatabase(t), func() time.Time { return now })
	_, key, err := store.Create(ctx, 3, "")
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := store.StartSession(ctx, "pak_nope"); !errors.Is(err, apikeys.ErrInvalidKey) {
		t.Fatalf("sign-in with a bad key: %v", err)
	}
	expiring, expires, err := store.StartSession(ctx, key)
	if err != nil || !expires.Equal(now.Add(apikeys.SessionTTL)) {
		t.Fatalf("StartSession = %v, %v", expires, err)
	}
	signedOut, _, err := store.StartSession(ctx, key)
	if err != nil {
		t.Fatal(err)
	}

	// When one session signs out and the clock passes the other's end
	if err := store.EndSession(ctx, signedOut); err != nil {
		t.Fatal(err)
	}
	if _, err := store.Session(ctx, signedOut); !errors.Is(err, apikeys.ErrInvalidKey) {
		t.Fatalf("signed-out session: %v", err)
	}
	now = now.Add(apikeys.SessionTTL)
	if _, err := store.Session(ctx, expiring); !errors.Is(err, apikeys.ErrInvalidKey) {
		t.Fatalf("expired session: %v", err)
	}
}

func flip(c byte) string {
	if c == '0' {
		return "1"
	}
	return "0"
}
