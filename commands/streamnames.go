package commands

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"

	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
)

// MinStreamNameSecret is the least length of the secret keying stream names.
const MinStreamNameSecret = 32

// ErrNoStreamNames is returned by commands whose streams are named after personal values (reservations,
// newsletter entries) when no naming secret was given: an unkeyed hash of an email is reversed by guessing
// emails, so there is no fallback to one.
var ErrNoStreamNames = errors.New("commands: stream names need a naming secret (StreamNames)")

// Purposes mixed into the keyed hash, so a reservation and a newsletter entry of the same value never share a
// hash. Warning: a stored format, like the secret: changing one orphans every stream of that kind.
const (
	reservationNaming = "pelcro reservation v1"
	newsletterNaming  = "pelcro newsletter v1"
)

// StreamNames derives the names of streams that stand for a personal value (an email's claim, a newsletter
// entry) with HMAC-SHA-256 under a server secret: the name says nothing about the value, and without the
// secret it cannot be found by hashing guessed emails, as a bare SHA-256 can.
//
// Warning: the secret is part of every such stream's name. It must never change (cmd keeps a generated one
// in PostgreSQL, internal/personaldata); with another secret every claim and entry would be forgotten, so
// emails already taken could be taken a second time.
type StreamNames struct {
	secret []byte
}

// NewStreamNames returns the names keyed by secret, which needs at least MinStreamNameSecret bytes.
func NewStreamNames(secret []byte) (StreamNames, error) {
	if len(secret) < MinStreamNameSecret {
		return StreamNames{}, fmt.Errorf("commands: stream naming secret of %d bytes, want at least %d", len(secret), MinStreamNameSecret)
	}
	return StreamNames{secret: append([]byte(nil), secret...)}, nil
}

// keyed is the hex HMAC of value for purpose, cut to size bytes.
func (n StreamNames) keyed(purpose, value string, size int) (string, error) {
	if len(n.secret) == 0 {
		return "", ErrNoStreamNames
	}
	mac := hmac.New(sha256.New, n.secret)
	mac.Write([]byte(purpose))
	mac.Write([]byte{0})
	mac.Write([]byte(value))
	return hex.EncodeToString(mac.Sum(nil)[:size]), nil
}

// ReservationStream is the name of the stream holding the claim of a normalised value in its scope and
// account (see Reservations), for tools that read it.
func (n StreamNames) ReservationStream(scope string, accountID int64, value string) (string, error) {
	key, err := n.reservation(scope, accountID, value)
	return ReservationAggregate.StreamPrefix + scope + "-" + key, err
}

// NewsletterStream is the name of the keyed stream of a site's entry for email (see Newsletters), for tools
// that read it.
func (n StreamNames) NewsletterStream(siteID int64, email string) (string, error) {
	id, err := n.newsletter(newsletter.EntryKey(siteID, email))
	return NewsletterAggregate.StreamPrefix + id, err
}

// reservation is the key of a value's claim within its scope (see Reservations).
func (n StreamNames) reservation(scope string, accountID int64, value string) (string, error) {
	return n.keyed(reservationNaming, scope+"\x00"+strconv.FormatInt(accountID, 10)+":"+value, sha256.Size)
}

// newsletter is the id of a newsletter entry's stream, from newsletter.EntryKey.
func (n StreamNames) newsletter(entryKey string) (string, error) {
	return n.keyed(newsletterNaming, entryKey, 16)
}

// legacyReservationKey is how claims were named before keyed names: the hex SHA-256 of "<account
// id>:<value>". Claims of that time are still honoured (Reservations adopts them); nothing is named this way
// any more.
func legacyReservationKey(accountID int64, value string) string {
	sum := sha256.Sum256([]byte(strconv.FormatInt(accountID, 10) + ":" + value))
	return hex.EncodeToString(sum[:])
}

// legacyNewsletterID is how newsletter entries were named before keyed names: the hex of the first 16 bytes
// of the SHA-256 of newsletter.EntryKey. Entries of that time live on in their stream (see Newsletters).
func legacyNewsletterID(entryKey string) string {
	sum := sha256.Sum256([]byte(entryKey))
	return hex.EncodeToString(sum[:16])
}
