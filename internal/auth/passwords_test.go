package auth_test

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/auth"
)

// cheap are valid but fast parameters, so tests spend their time on behaviour, not on argon2.
var cheap = auth.Params{MemoryKiB: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32}

func newHasher(t *testing.T, p auth.Params, concurrency int) *auth.Hasher {
	t.Helper()
	h, err := auth.NewHasher(p, concurrency)
	if err != nil {
		t.Fatal(err)
	}
	return h
}

func TestDefaultParamsHashAndVerify(t *testing.T) {
	t.Parallel()
	// given a hasher with the production parameters
	h := newHasher(t, auth.DefaultParams(), 0)

	// when a password is hashed
	encoded, err := h.Hash(context.Background(), "S3cret!pass")
	if err != nil {
		t.Fatal(err)
	}

	// then the encoding names argon2id and at least OWASP's costs, and only the right password verifies
	if !strings.HasPrefix(encoded, "$argon2id$v=19$m=19456,t=2,p=1$") {
		t.Fatalf("encoded = %q", encoded)
	}
	for password, want := range map[string]bool{"S3cret!pass": true, "s3cret!pass": false} {
		if ok, err := h.Verify(context.Background(), password, encoded); err != nil || ok != want {
			t.Errorf("Verify(%q) = %v, %v; want %v", password, ok, err, want)
		}
	}
}

func TestHashVerifiesOnlyTheSamePassword(t *testing.T) {
	t.Parallel()
	h := newHasher(t, cheap, 2)
	ctx := context.Background()
	// given two hashes of the same password
	first, err1 := h.Hash(ctx, "correct horse")
	second, err2 := h.Hash(ctx, "correct horse")
	if err1 != nil || err2 != nil {
		t.Fatal(err1, err2)
	}
	// then they differ (random salt)
	if first == second {
		t.Fatal("two hashes of one password are equal: salt is not random")
	}
	cases := []struct {
		password string
		want     bool
	}{{"correct horse", true}, {"correct horse ", false}, {"", false}, {"Correct horse", false}}
	for _, c := range cases {
		// when each candidate is verified against both, then only the original matches
		for _, encoded := range []string{first, second} {
			if ok, err := h.Verify(ctx, c.password, encoded); err != nil || ok != c.want {
				t.Errorf("Verify(%q) = %v, %v; want %v", c.password, ok, err, c.want)
			}
		}
	}
}

func TestRaisedParamsStillVerifyOldHashesAndAskForRehash(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// given a hash made with older, cheaper parameters
	old := newHasher(t, cheap, 1)
	encoded, err := old.Hash(ctx, "pa55word")
	if err != nil {
		t.Fatal(err)
	}
	// when the deployment raises its parameters
	raised := cheap
	raised.MemoryKiB, raised.Time = 128, 2
	h := newHasher(t, raised, 1)

	// then the old hash still verifies, with the parameters it records, and is due for a rehash
	if ok, err := h.Verify(ctx, "pa55word", encoded); err != nil || !ok {
		t.Fatalf("Verify old hash = %v, %v", ok, err)
	}
	if !h.NeedsRehash(encoded) {
		t.Error("NeedsRehash(old) = false")
	}
	// and a fresh hash is not
	fresh, err := h.Hash(ctx, "pa55word")
	if err != nil {
		t.Fatal(err)
	}
	if h.NeedsRehash(fresh) || !strings.Contains(fresh, "m=128,t=2,p=1") {
		t.Errorf("fresh hash %q: NeedsRehash = %v", fresh, h.NeedsRehash(fresh))
	}
}

func TestVerifyRefusesMalformedHashes(t *testing.T) {
	t.Parallel()
	h := newHasher(t, cheap, 1)
	good, err := h.Hash(context.Background(), "secret")
	if err != nil {
		t.Fatal(err)
	}
	cases := map[string]string{
		"empty":            "",
		"bcrypt":           "$2y$10$abcdefghijklmnopqrstuuMyq3vq0fYqY4r3b6o8bX5d7Zs8nWQ2",
		"argon2i":          strings.Replace(good, "$argon2id$", "$argon2i$", 1),
		"other version":    strings.Replace(good, "v=19", "v=16", 1),
		"missing key":      good[:strings.LastIndex(good, "$")],
		"padded base64":    good + "==",
		"zero threads":     strings.Replace(good, "p=1", "p=0", 1),
		"leading zero":     strings.Replace(good, "t=1", "t=01", 1),
		"huge memory":      strings.Replace(good, "m=64", "m=4294967295", 1),
		"params reordered": strings.Replace(good, "m=64,t=1", "t=1,m=64", 1),
		"extra field":      good + "$x",
	}
	for name, encoded := range cases {
		// when verified, then it is an ErrHashMalformed, never a match or a panic
		ok, err := h.Verify(context.Background(), "secret", encoded)
		if ok || !errors.Is(err, auth.ErrHashMalformed) {
			t.Errorf("%s: Verify = %v, %v; want ErrHashMalformed", name, ok, err)
		}
		if !h.NeedsRehash(encoded) {
			t.Errorf("%s: NeedsRehash = false", name)
		}
	}
}

func TestNewHasherRefusesParamsItCouldNotVerify(t *testing.T) {
	t.Parallel()
	for name, p := range map[string]auth.Params{
		"no threads": {MemoryKiB: 64, Time: 1, Threads: 0, SaltLen: 16, KeyLen: 32},
		"no passes":  {MemoryKiB: 64, Time: 0, Threads: 1, SaltLen: 16, KeyLen: 32},
		"short salt": {MemoryKiB: 64, Time: 1, Threads: 1, SaltLen: 4, KeyLen: 32},
		"short key":  {MemoryKiB: 64, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 8},
		"1 GiB":      {MemoryKiB: 1 << 20, Time: 1, Threads: 1, SaltLen: 16, KeyLen: 32},
	} {
		if _, err := auth.NewHasher(p, 1); err == nil {
			t.Errorf("%s: NewHasher accepted %+v", name, p)
		}
	}
}

func TestVerifyDummyRunsAndHonoursCancellation(t *testing.T) {
	t.Parallel()
	h := newHasher(t, cheap, 1)
	// given a live request, when a login names no customer, then the dummy verify runs without error
	if err := h.VerifyDummy(context.Background(), "whatever"); err != nil {
		t.Fatalf("VerifyDummy = %v", err)
	}
	// given a request whose client has gone, then it does no work and says why
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := h.VerifyDummy(ctx, "whatever"); !errors.Is(err, context.Canceled) {
		t.Fatalf("VerifyDummy after cancel = %v", err)
	}
}
