package personaldata_test

import (
	"bytes"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/personaldata"
)

func randomKey(t *testing.T) string {
	t.Helper()
	key := make([]byte, personaldata.MasterKeySize)
	_, _ = rand.Read(key)
	return base64.StdEncoding.EncodeToString(key)
}

func TestParseMasterKey(t *testing.T) {
	t.Parallel()
	key := make([]byte, 32)
	_, _ = rand.Read(key)
	for _, encoded := range []string{base64.StdEncoding.EncodeToString(key), base64.RawURLEncoding.EncodeToString(key),
		" " + base64.StdEncoding.EncodeToString(key) + "\n"} {
		if _, err := personaldata.ParseMasterKey(encoded); err != nil {
			t.Errorf("ParseMasterKey(%q) = %v", encoded, err)
		}
	}
	for _, bad := range []string{"", "not base64 at all!", base64.StdEncoding.EncodeToString(key[:16]),
		base64.StdEncoding.EncodeToString(append(key, 1))} {
		if _, err := personaldata.ParseMasterKey(bad); err == nil {
			t.Errorf("ParseMasterKey(%q) accepted", bad)
		}
	}
}

func TestTheKeyringAndTheNamingSecretAreSharedByEveryInstance(t *testing.T) {
	t.Parallel()
	w := newWorld(t, backends[0])
	ctx := t.Context()
	// Given two instances starting on one database without PELCRO_MASTER_KEY
	other, err := personaldata.LoadKeyring(ctx, w.db, "", nil)
	if err != nil {
		t.Fatal(err)
	}
	// Then they generated no second master key, and agree on the naming secret
	if other.CurrentID() != w.ring.CurrentID() {
		t.Fatalf("master keys %s and %s", other.CurrentID(), w.ring.CurrentID())
	}
	first, err := personaldata.NamingSecret(ctx, w.db, w.ring)
	if err != nil {
		t.Fatal(err)
	}
	second, err := personaldata.NamingSecret(ctx, w.db, other)
	if err != nil || !bytes.Equal(first, second) || len(first) != 32 {
		t.Fatalf("naming secrets %x and %x (%v)", first, second, err)
	}
	// And the stored naming secret is wrapped, not the secret itself
	var stored []byte
	if err := w.db.Get(&stored, `SELECT wrapped_secret FROM personal_data_secrets`); err != nil || bytes.Contains(stored, first) {
		t.Fatalf("stored naming secret %x holds the secret %x (%v)", stored, first, err)
	}
	// And an instance with another master key and no way to unwrap refuses to start rather than use
	// another secret
	stranger, err := personaldata.ParseMasterKey(randomKey(t))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := personaldata.NamingSecret(ctx, w.db, personaldata.NewKeyring(stranger)); !errors.Is(err, personaldata.ErrUnknownMasterKey) {
		t.Fatalf("NamingSecret with a stranger key = %v, want ErrUnknownMasterKey", err)
	}
	if _, err := personaldata.LoadKeyring(ctx, w.db, "short", nil); err == nil {
		t.Fatal("a malformed PELCRO_MASTER_KEY was accepted")
	}
}

func TestRotatingTheMasterKeyRewrapsEveryKeyAndKeepsEveryValue(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	// Given sealed events and a naming secret under the generated master key
	w := newWorld(t, backends[0])
	appendTo(t, w.store, "customer-207", annsHistory(207)...)
	appendTo(t, w.store, "newsletter-abc", ninasSubscription("nina@example.org"))
	secret, err := personaldata.NamingSecret(ctx, w.db, w.ring)
	if err != nil {
		t.Fatal(err)
	}
	// When PELCRO_MASTER_KEY is set to a new key (the generated one is still in the database) and every key
	// is rewrapped
	configured := randomKey(t)
	rotated, err := personaldata.LoadKeyring(ctx, w.db, configured, nil)
	if err != nil {
		t.Fatal(err)
	}
	n, err := personaldata.NewKeys(w.db, rotated).Rewrap(ctx)
	if err != nil || n != 3 {
		t.Fatalf("Rewrap = %d, %v; want 2 data keys and the naming secret", n, err)
	}
	// Then no key is wrapped by the old master key, which is gone from the database
	var left int
	if err := w.db.Get(&left, `SELECT count(*) FROM personal_data_keys WHERE master_key_id <> $1`, rotated.CurrentID()); err != nil || left != 0 {
		t.Fatalf("%d keys still under the old master key (%v)", left, err)
	}
	var generated int
	if err := w.db.Get(&generated, `SELECT count(*) FROM auth_secrets WHERE name = 'personal_data_master_key'`); err != nil || generated != 0 {
		t.Fatalf("the generated master key is still stored (%d, %v)", generated, err)
	}
	// And with the new key alone, every value and the naming secret read as before
	alone, err := personaldata.LoadKeyring(ctx, w.db, configured, nil)
	if err != nil {
		t.Fatal(err)
	}
	store := personaldata.NewStore(w.inner, personaldata.NewKeys(w.db, alone), personaldata.Config{Subjects: subjects, Events: registry})
	if got := decoded(t, readStream(t, store, "customer-207")); !reflect.DeepEqual(got, annsHistory(207)) {
		t.Fatalf("after the rotation: %+v", got)
	}
	if again, err := personaldata.NamingSecret(ctx, w.db, alone); err != nil || !bytes.Equal(again, secret) {
		t.Fatalf("naming secret after the rotation = %x, %v; want %x", again, err, secret)
	}
	// And rewrapping again has nothing to do
	if n, err := personaldata.NewKeys(w.db, alone).Rewrap(ctx); err != nil || n != 0 {
		t.Fatalf("second Rewrap = %d, %v", n, err)
	}
	// And a rotation the old key is missing from stops at the first key rather than losing it
	appendTo(t, store, "customer-208", annsHistory(208)[0])
	if _, err := personaldata.NewKeys(w.db, personaldata.NewKeyring(mustParse(t, randomKey(t)))).Rewrap(ctx); !errors.Is(err, personaldata.ErrUnknownMasterKey) ||
		!strings.Contains(err.Error(), "customer-") {
		t.Fatalf("Rewrap without the old key = %v, want ErrUnknownMasterKey", err)
	}
}

func mustParse(t *testing.T, encoded string) personaldata.MasterKey {
	t.Helper()
	k, err := personaldata.ParseMasterKey(encoded)
	if err != nil {
		t.Fatal(err)
	}
	return k
}
