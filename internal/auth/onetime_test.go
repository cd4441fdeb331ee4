package auth_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/auth"
)

var oneTimeKey = []byte("0123456789abcdef0123456789abcdef")

func TestOneTimeTokenIsRebuiltFromTheNonce(t *testing.T) {
	t.Parallel()
	// given a nonce recorded in an event
	nonce := auth.NewNonce()
	// when the command and, later, the mail outbox each derive the token
	token := auth.OneTimeToken(oneTimeKey, 207, auth.PurposePasswordReset, nonce)
	again := auth.OneTimeToken(oneTimeKey, 207, auth.PurposePasswordReset, nonce)
	// then both get the same link, which names the customer and hashes to what the event stores
	if token != again || !strings.HasPrefix(token, "207.") {
		t.Fatalf("tokens %q and %q", token, again)
	}
	if id, err := auth.ParseOneTimeToken(token); err != nil || id != 207 {
		t.Fatalf("ParseOneTimeToken = %d, %v", id, err)
	}
	hash := auth.HashOneTimeToken(token)
	if len(hash) != 64 || strings.Contains(hash, token) || hash != auth.HashOneTimeToken(again) {
		t.Fatalf("hash %q", hash)
	}
}

func TestOneTimeTokenDependsOnEveryInput(t *testing.T) {
	t.Parallel()
	nonce := auth.NewNonce()
	base := auth.OneTimeToken(oneTimeKey, 7, auth.PurposePasswordless, nonce)
	variants := map[string]string{
		"other key":      auth.OneTimeToken([]byte("another key of thirty-two bytes!"), 7, auth.PurposePasswordless, nonce),
		"other customer": auth.OneTimeToken(oneTimeKey, 8, auth.PurposePasswordless, nonce),
		"other purpose":  auth.OneTimeToken(oneTimeKey, 7, auth.PurposeEmailVerification, nonce),
		"other nonce":    auth.OneTimeToken(oneTimeKey, 7, auth.PurposePasswordless, auth.NewNonce()),
	}
	for name, token := range variants {
		// then changing any input gives a different token (so a hash of one never matches another)
		if token == base {
			t.Errorf("%s: same token %q", name, token)
		}
	}
}

func TestNewNonceIs128RandomBits(t *testing.T) {
	t.Parallel()
	a, b := auth.NewNonce(), auth.NewNonce()
	if a == b || len(a) != 22 || strings.ContainsAny(a, "+/=") {
		t.Fatalf("nonces %q, %q", a, b)
	}
}

func TestParseOneTimeTokenRefusesMalformedTokens(t *testing.T) {
	t.Parallel()
	good := auth.OneTimeToken(oneTimeKey, 42, auth.PurposePasswordless, "n")
	_, mac, _ := strings.Cut(good, ".")
	cases := map[string]string{
		"empty":            "",
		"no dot":           "42" + mac,
		"no id":            "." + mac,
		"zero id":          "0." + mac,
		"negative id":      "-42." + mac,
		"leading zero":     "042." + mac,
		"plus sign":        "+42." + mac,
		"id overflow":      "99999999999999999999." + mac,
		"short mac":        "42." + mac[:42],
		"long mac":         "42." + mac + "A",
		"standard base64":  "42." + strings.Repeat("+", 43),
		"line break":       "42." + mac[:20] + "\r" + mac[20:],
		"two dots":         "42." + mac + ".x",
		"oversized":        strings.Repeat("9", 4096) + "." + mac,
		"padded base64url": "42." + mac + "=",
	}
	for name, token := range cases {
		// when parsed, then it is refused as malformed (and never panics)
		if id, err := auth.ParseOneTimeToken(token); !errors.Is(err, auth.ErrOneTimeTokenMalformed) {
			t.Errorf("%s: ParseOneTimeToken(%q) = %d, %v", name, token, id, err)
		}
	}
}

// FuzzParseOneTimeToken checks the parser never panics and that whatever it accepts names the customer it
// returns. The seeds run in every `go test`.
func FuzzParseOneTimeToken(f *testing.F) {
	f.Add(auth.OneTimeToken(oneTimeKey, 1, auth.PurposePasswordless, "seed"))
	f.Add(auth.OneTimeToken(oneTimeKey, 9223372036854775807, auth.PurposePasswordReset, "seed"))
	for _, seed := range []string{"", ".", "1.", ".AAAA", "-1.AAAA", "1.\x00", "18446744073709551616.AAAA", "1.====", "1.a.b"} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, token string) {
		id, err := auth.ParseOneTimeToken(token)
		if err != nil {
			return
		}
		digits, _, _ := strings.Cut(token, ".")
		if id <= 0 || strconv.FormatInt(id, 10) != digits || len(token) != len(digits)+1+43 {
			t.Fatalf("accepted %q as customer %d", token, id)
		}
	})
}
