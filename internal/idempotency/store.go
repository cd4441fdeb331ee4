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

// maxBeginRounds bounds Begin's retries when the row it looks at disappears in between (purged).
const maxBeginRounds = 3

// Begin claims the key for the attempt, or says why not. One statement takes the key when nobody has used
// it in the Window, or when it was used for this very request, has no stored answer and no live holder
// (a failure, or a crashed holder whose lease ran out); PostgreSQL serialises concurrent claims on the
// row, so across every instance one request at most holds a key.
func (s *Store) Begin(ctx context.Context, a Attempt) (Claim, error) {
	rowID, fingerprint := s.keys.rowID(a), s.keys.fingerprint(a)
	for range maxBeginRounds {
		now := s.now()
		token := uuid.New()
		var firstUse time.Time
		err := s.db.GetContext(ctx, &firstUse, `
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
		claim, found, err := s.inspect(ctx, rowID, fingerprint)
		if err != nil || found {
			return claim, err
		}
	}
	return Claim{}, fmt.Errorf("idempotency: claim key: the row kept disappearing")
}

// inspect reads a row Begin could not take: used for another request, answered, or held.
func (s *Store) inspect(ctx context.Context, rowID, fingerprint []byte) (Claim, bool, error) {
	var row struct {
		Fingerprint []byte `db:"fingerprint"`
		Response    []byte `db:"response"`
	}
	err := s.db.GetContext(ctx, &row, `SELECT fingerprint, response FROM idempotency_keys WHERE id = $1`, rowID)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return Claim{}, false, nil
	case err != nil:
		return Claim{}, false, fmt.Errorf("idempotency: read key: %w", err)
	case !hmac.Equal(row.Fingerprint, fingerprint):
		return Claim{Outcome: Mismatch}, true, nil
	case row.Response == nil:
		return Claim{Outcome: Busy}, true, nil
	}
	response, err := s.keys.openResponse(rowID, row.Response)
	if err != nil {
		return Claim{}, false, err
	}
	return Claim{Outcome: Replay, Response: response}, true, nil
}

// Finish stores the answer of a claimed request and releases the key: retries replay it until the key
// expires.
func (s *Store) Finish(ctx context.Context, c Claim, r Response) error {
	sealed, err := s.keys.sealResponse(c.rowID, r)
	if err != nil {
		return fmt.Errorf("idempotency: seal response: %w", err)
	}
	return s.release(ctx, c, sealed)
}

// Abandon releases the key without an answer: the request failed in a way a retry may fix, and a retry
// of the same request runs again (its commands, having the same ids, write nothing twice).
func (s *Store) Abandon(ctx context.Context, c Claim) error {
	return s.release(ctx, c, nil)
}

func (s *Store) release(ctx context.Context, c Claim, response []byte) error {
	res, err := s.db.ExecContext(ctx, `UPDATE idempotency_keys SET response = $3, lock_token = NULL, locked_until = NULL
		WHERE id = $1 AND lock_token = $2`, c.rowID, c.token, response)
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
