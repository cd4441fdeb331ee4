// Package apikeys issues and checks the operators' API keys of the admin API and console (/admin): each key
// reads the data of one account. Keys are shown once, when created, and kept only as hashes, like the
// one-time tokens of internal/auth: a copy of the database signs nobody in.
package apikeys

import (
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"strings"
	"time"
)

// Prefix starts every key, so a key pasted into a chat or a repository is recognised (and can be found by
// secret scanners). Stored format: keys handed out carry it.
const Prefix = "pak_"

const (
	idBytes     = 8  // the public part: enough to tell keys apart, not a secret
	secretBytes = 32 // 256 bits: a key cannot be guessed, so a plain hash of it cannot be reversed
	keyLength   = len(Prefix) + 2*idBytes + 1 + 2*secretBytes
)

var (
	// ErrInvalidKey is returned for a key that is malformed, unknown or revoked, and for an unknown or
	// expired session: callers answer all of them alike, so a caller learns nothing about which.
	ErrInvalidKey = errors.New("apikeys: invalid or revoked key")
	// ErrUnknownKey is returned by Revoke for an id no key has.
	ErrUnknownKey = errors.New("apikeys: no such key")
)

// Key is what is known of a key without its secret.
type Key struct {
	// ID is the public part, "pak_<16 hex digits>": shown by list, taken by revoke.
	ID        string     `db:"id" json:"id"`
	AccountID int64      `db:"account_id" json:"account_id"`
	Name      string     `db:"name" json:"name"`
	CreatedAt time.Time  `db:"created_at" json:"created_at"`
	RevokedAt *time.Time `db:"revoked_at" json:"revoked_at"`
}

// newKey returns a fresh key: its public id and the whole key to hand out once.
func newKey() (id, key string) {
	raw := make([]byte, idBytes+secretBytes)
	_, _ = rand.Read(raw) // crypto/rand.Read never fails (it crashes the program instead)
	id = Prefix + hex.EncodeToString(raw[:idBytes])
	return id, id + "_" + hex.EncodeToString(raw[idBytes:])
}

// parseKey returns the public id of a well-formed key. It never panics, whatever the input.
func parseKey(key string) (id string, ok bool) {
	idEnd := len(Prefix) + 2*idBytes
	if len(key) != keyLength || !strings.HasPrefix(key, Prefix) || key[idEnd] != '_' ||
		!isHex(key[len(Prefix):idEnd]) || !isHex(key[idEnd+1:]) {
		return "", false
	}
	return key[:idEnd], true
}

func isHex(s string) bool {
	_, err := hex.DecodeString(s)
	return err == nil
}

// hash is what the database keeps of a key or a session token.
func hash(secret string) []byte {
	sum := sha256.Sum256([]byte(secret))
	return sum[:]
}
