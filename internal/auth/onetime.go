package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
)

// One-time token purposes. Each is mixed into the MAC, so a token minted for one purpose is useless for
// another. Stored format: links already mailed carry MACs over these strings; never change one.
const (
	PurposePasswordless      = "passwordless"
	PurposePasswordReset     = "password_reset"
	PurposeEmailVerification = "email_verification"
)

// ErrOneTimeTokenMalformed is returned by ParseOneTimeToken for anything that is not
// "<customer id>.<43 base64url characters>".
var ErrOneTimeTokenMalformed = errors.New("auth: malformed one-time token")

// maxOneTimeTokenBytes bounds ParseOneTimeToken's input: 19 digits, a dot and 43 characters.
const maxOneTimeTokenBytes = 19 + 1 + 43

// Why one-time tokens look like this: the event log is append-only and kept
// forever, so it must never hold a usable secret. A customer's `one_time_token_issued` event carries only a
// random nonce and HashOneTimeToken(token). The token itself is a MAC of the nonce under the server's
// one-time key (Keys.OneTime), so reading the log is not enough to forge or replay a link, while the mail
// outbox, which holds the key, can rebuild the very same link from the event alone. Redeeming hashes the
// presented token and compares it with the hashes in the customer's stream, found from the customer id the
// token starts with.

// NewNonce returns 128 random bits, base64url without padding: the per-token randomness an event records.
func NewNonce() string { return newRandomID() }

// OneTimeToken returns "<customerID>.<base64url(HMAC-SHA256(key, purpose|customerID|nonce))>". It is
// deterministic: the same key, customer, purpose and nonce always give the same token. Stored format (the
// MAC input and the layout): mailed links and the hashes in the event log depend on it.
func OneTimeToken(key []byte, customerID int64, purpose, nonce string) string {
	id := strconv.FormatInt(customerID, 10)
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte(purpose + "|" + id + "|" + nonce))
	return id + "." + base64.RawURLEncoding.EncodeToString(mac.Sum(nil))
}

// HashOneTimeToken returns the hex SHA-256 of token: what events store and redemption compares. The token
// has 256 bits of MAC in it, so a plain hash cannot be reversed by guessing.
func HashOneTimeToken(token string) string {
	sum := sha256.Sum256([]byte(token))
	return hex.EncodeToString(sum[:])
}

// ParseOneTimeToken returns the customer id a token names, after checking its shape (a positive id in
// canonical decimal, a dot, a 32-byte MAC in base64url). It does not check the MAC: compare
// HashOneTimeToken(token) with the customer's stored hashes for that. It never panics.
func ParseOneTimeToken(token string) (int64, error) {
	if len(token) > maxOneTimeTokenBytes {
		return 0, ErrOneTimeTokenMalformed
	}
	digits, mac, ok := strings.Cut(token, ".")
	if !ok {
		return 0, ErrOneTimeTokenMalformed
	}
	id, err := strconv.ParseInt(digits, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != digits {
		return 0, ErrOneTimeTokenMalformed
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(mac)
	if err != nil || len(raw) != sha256.Size || base64.RawURLEncoding.EncodeToString(raw) != mac {
		return 0, ErrOneTimeTokenMalformed
	}
	return id, nil
}
