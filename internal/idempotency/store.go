// Package idempotency keeps what the API needs to honour the Idempotency-Key header (Stripe's semantics) on
// every instance at once: which caller used which key for which request, which request holds the key right
// now, and the first answer to replay. It lives in the idempotency_keys table of the read-model database
// (internal/migrations/sql/00010_idempotency_keys.sql); transport reaches it through a small interface that
// cmd/pelcro wires.
//
// Nothing stored is readable without the server secret: rows are named by an HMAC of the caller's scope
// and the key, requests kept as an HMAC of their fingerprint, and answers (which may carry a JWT) sealed
// with AES-GCM. The command ids a request's commands use derive from the same secret, the key and the
// request, so a retry whose stored answer was lost (a crash between the append and Finish) still writes
// nothing twice.
package idempotency

import (
	"context"
	"crypto/hmac"
	"database/sql"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
)

// Window is how long a key is remembered after its first use: a retry within it replays, the key is free
// again after it (and Purge deletes the row).
const Window = 24 * time.Hour

// DefaultLease is how long a request holds its key when Store.Lease is zero. A holder that crashed
// blocks its key that long; one still running past it may be joined by a retry, which is harmless (the
// command ids are the same) but does the work twice. Keep it above the longest request.
const DefaultLease = 30 * time.Second

// Attempt is one request sent with a key.
type Attempt struct {
	// Scope names the caller the key belongs to, e.g. "customer:1:42"; the same key of another caller is
	// another key.
	Scope string
	// Key is the Idempotency-Key header.
	Key string
	// Fingerprint digests what makes the request this request (method, route, path, query, body): a key
	// used again with another fingerprint is refused.
	Fingerprint []byte
}

// Outcome is what Begin decided.
type Outcome int

const (
	// Proceed: the caller holds the key; run the request, then Finish or Abandon the claim.
	Proceed Outcome = iota
	// Replay: the key already answered this request; Claim.Response is that answer.
	Replay
	// Mismatch: the key was first used with another request.
	Mismatch
	// Busy: another request holds the key right now.
	Busy
)

// Response is an answer worth replaying, byte for byte.
type Response struct {
	Status int         `json:"status"`
	Header http.Header `json:"header,omitempty"`
	Body   []byte      `json:"body"`
	// Subject names the data subject whose personal data the body holds (CustomerSubject, NewsletterSubject),
	// "" for none: Forget deletes the answers of an erased subject. Not part of the replayed answer.
	Subject string `json:"-"`
}

// Claim is the result of Begin.
type Claim struct {
	Outcome Outcome
	// Response is the stored answer (Replay).
	Response Response
	// CommandID is the base of the ids of the commands the request issues (Proceed).
	CommandID string
	rowID     []byte
	token     uuid.UUID
}

// ErrLeaseLost is returned by Finish and Abandon when the claim's lease ran out and another request took
// the key over: that request answers for it.
var ErrLeaseLost = errors.New("idempotency: the key was taken over after the lease ran out")

// Store is the shared table of keys.
type Store struct {
	db   *sqlx.DB
	keys keys
	// Now is the clock; nil means time.Now. Set it before first use (tests).
	Now func() time.Time
	// Lease is how long Begin lets a request hold a key; zero means DefaultLease.
	Lease time.Duration
}

// NewStore returns the store over db (migrations applied), keyed by secret (auth.Keys.Idempotency; at
// least MinSecretBytes). Every instance sharing db must use the same secret.
func NewStore(db *sqlx.DB, secret []byte) (*Store, error) {
	k, err := deriveKeys(secret)
	if err != nil {
		return nil, err
	}
	return &Store{db: db, keys: k}, nil
}

func (s *Store) now() time.Time {
	if s.Now != nil {
		return s.Now()
	}
	return time.Now()
}

func (s *Store) lease() time.Duration {
	if s.Lease > 0 {
		return s.Lease
	}
	return DefaultLease
}

// maxBeginRounds bounds Begin's rounds when the row changes between its look and its claim.
const maxBeginRounds = 3

// Begin claims the key for the attempt, or says why not. It first reads the key's row, so a replay, a
// mismatch or a retry polling a busy key costs one read and writes nothing. A key nobody used in the
// Window, or used for this very request and neither answered nor held (a failure, or a crashed holder
// whose lease ran out), is then taken by one upsert whose WHERE re-checks exactly that on the row's latest
// version; PostgreSQL serialises concurrent upserts of a row, so across every instance one request at most
// holds a key. A request that loses that race looks again.
func (s *Store) Begin(ctx context.Context, a Attempt) (Claim, error) {
	rowID, fingerprint := s.keys.rowID(a), s.keys.fingerprint(a)
	for range maxBeginRounds {
		now := s.now()
		claim, decided, err := s.look(ctx, rowID, fingerprint, now)
		if err != nil || decided {
			return claim, err
		}
		token := uuid.New()
		var firstUse time.Time
		err = s.db.GetContext(ctx, &firstUse, `
			INSERT INTO idempotency_keys AS k (id, fingerprint, created_at, lock_token, locked_until)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (id) DO UPDATE SET
				fingerprint = EXCLUDED.fingerprint,
				created_at = CASE WHEN k.created_at <= $6 THEN EXCLUDED.created_at ELSE k.created_at END,
				response = NULL, lock_token = EXCLUDED.lock_token, locked_until = EXCLUDED.locked_until
			WHERE k.created_at <= $6
				OR (k.response IS NULL AND k.fingerprint = EXCLUDED.fingerprint
					AND (k.locked_until IS NULL OR k.locked_until <= $3))
			RETURNING created_at`,
			rowID, fingerprint, now, token, now.Add(s.lease()), now.Add(-Window))
		if err == nil {
			return Claim{Outcome: Proceed, CommandID: s.keys.commandID(a, firstUse), rowID: rowID, token: token}, nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return Claim{}, fmt.Errorf("idempotency: claim key: %w", err)
		}
	}
	return Claim{}, fmt.Errorf("idempotency: claim key: the key kept changing under %d attempts", maxBeginRounds)
}

// look reads the key's row and decides when it can: another request (Mismatch), an answer (Replay), a
// live holder (Busy). decided is false when the key may be claimed: no row, an expired one, or this
// request's row neither answered nor held.
func (s *Store) look(ctx context.Context, rowID, fingerprint []byte, now time.Time) (claim Claim, decided bool, err error) {
	var row struct {
		Fingerprint []byte     `db:"fingerprint"`
		Response    []byte     `db:"response"`
		CreatedAt   time.Time  `db:"created_at"`
		LockedUntil *time.Time `db:"locked_until"`
	}
	err = s.db.GetContext(ctx, &row,
		`SELECT fingerprint, response, created_at, locked_until FROM idempotency_keys WHERE id = $1`, rowID)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Claim{}, false, nil
	case err != nil:
		return Claim{}, false, fmt.Errorf("idempotency: read key: %w", err)
	case !row.CreatedAt.After(now.Add(-Window)):
		return Claim{}, false, nil
	case !hmac.Equal(row.Fingerprint, fingerprint):
		return Claim{Outcome: Mismatch}, true, nil
	case row.Response != nil:
		response, err := s.keys.openResponse(rowID, row.Response)
		return Claim{Outcome: Replay, Response: response}, err == nil, err
	case row.LockedUntil != nil && row.LockedUntil.After(now):
		return Claim{Outcome: Busy}, true, nil
	}
	return Claim{}, false, nil
}

// Finish stores the answer of a claimed request and releases the key: retries replay it until the key
// expires, or until Forget deletes it.
func (s *Store) Finish(ctx context.Context, c Claim, r Response) error {
	sealed, err := s.keys.sealResponse(c.rowID, r)
	if err != nil {
		return fmt.Errorf("idempotency: seal response: %w", err)
	}
	var subject []byte
	if r.Subject != "" {
		subject = s.keys.subject(r.Subject)
	}
	return s.release(ctx, c, sealed, subject)
}

// Abandon releases the key without an answer: the request failed in a way a retry may fix, and a retry
// of the same request runs again (its commands, having the same ids, write nothing twice).
func (s *Store) Abandon(ctx context.Context, c Claim) error {
	return s.release(ctx, c, nil, nil)
}

func (s *Store) release(ctx context.Context, c Claim, response, subject []byte) error {
	res, err := s.db.ExecContext(ctx, `UPDATE idempotency_keys SET response = $3, subject = $4, lock_token = NULL,
		locked_until = NULL WHERE id = $1 AND lock_token = $2`, c.rowID, c.token, response, subject)
	if err != nil {
		return fmt.Errorf("idempotency: release key: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return errors.Join(ErrLeaseLost, err)
	}
	return nil
}

// Purge deletes the keys first used more than Window ago and returns how many. Call it periodically from
// any instance; Begin already ignores such rows, so a late purge only costs space.
func (s *Store) Purge(ctx context.Context) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE created_at <= $1`, s.now().Add(-Window))
	if err != nil {
		return 0, fmt.Errorf("idempotency: purge keys: %w", err)
	}
	return res.RowsAffected()
}

// Forget deletes every stored answer about subject (CustomerSubject, NewsletterSubject) and returns how many:
// erasing a person must not leave their profile replayable, nor readable with the server secret, for the rest
// of the keys' Window. A retry of a forgotten request runs as a new request.
func (s *Store) Forget(ctx context.Context, subject string) (int64, error) {
	res, err := s.db.ExecContext(ctx, `DELETE FROM idempotency_keys WHERE subject = $1`, s.keys.subject(subject))
	if err != nil {
		return 0, fmt.Errorf("idempotency: forget the answers of a subject: %w", err)
	}
	return res.RowsAffected()
}

// CustomerSubject names a customer as the subject of an answer (Response.Subject, Forget).
func CustomerSubject(customerID int64) string {
	return "customer:" + strconv.FormatInt(customerID, 10)
}

// NewsletterSubject names a site's newsletter entry of a normalised email as the subject of an answer.
func NewsletterSubject(siteID int64, email string) string {
	return "newsletter:" + strconv.FormatInt(siteID, 10) + ":" + email
}
