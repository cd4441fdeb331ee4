package auth

import "testing"

// FuzzDecodeHash checks that the password-hash decoder never panics and accepts only canonical encodings:
// whatever it accepts, it writes back byte for byte. The seeds run in every `go test`.
func FuzzDecodeHash(f *testing.F) {
	for _, seed := range []string{
		"$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2V5a2U",
		"$argon2id$v=19$m=64,t=1,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
		"$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA==$a2V5",
		"$argon2id$v=19$m=,t=,p=$$",
		"$argon2id$v=19$m=99999999999999999999,t=1,p=1$AAAA$AAAA",
		"$argon2id$v=19$m=64,t=1,p=300$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",
		"$argon2id$v=19$m=-1,t=+1,p=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",
		"$argon2id$v=19$",
		"$argon2i$v=19$m=64,t=1,p=1$AAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAA",
		"$$$$$$$$",
		"",
		"\x00\xff$argon2id",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, s string) {
		h, err := decodeHash(s)
		if err != nil {
			return
		}
		if got := h.encode(); got != s {
			t.Fatalf("decode accepted a non-canonical hash: %q re-encodes as %q", s, got)
		}
		if err := h.params.validate(); err != nil {
			t.Fatalf("decode accepted out-of-bounds params %+v: %v", h.params, err)
		}
	})
}
