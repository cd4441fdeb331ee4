package sandbox

import (
	"bytes"
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/lib/pq"
	"github.com/lib/pq/pqerror"

	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// outcome is what one mutation answered, kept under its idempotency key and replayed to a retry. Exactly one
// field is set.
type outcome struct {
	Declined payments.DeclineReason `json:"declined,omitempty"`
	Card     *payments.AttachedCard `json:"card,omitempty"`
	Charge   *payments.Charge       `json:"charge,omitempty"`
	Refund   *payments.Refund       `json:"refund,omitempty"`
}

// err is the decline the outcome stands for, nil for a success.
func (o outcome) err() error {
	if o.Declined != "" {
		return &payments.Declined{Reason: o.Declined}
	}
	return nil
}

// errNoKey refuses a mutation sent without an idempotency key.
var errNoKey = fmt.Errorf("%w: no idempotency key", ErrInvalidRequest)

// claimWithIntent begins the one-statement mutations (attachOnce, chargeOnce), whose outcome is decided
// before the statement: it claims the key $1 for the request of fingerprint $2 with its outcome $3 and,
// when the key is new and $4 is not null, inserts the 3-D Secure intent $4 of kind $5, status $6 and client
// secret $7. The statement goes on with its own rows, each selected FROM claimed (none when the key was
// seen before), and ends with SELECT idempotency_key FROM claimed: no row tells the caller to replay.
const claimWithIntent = `
	WITH claimed AS (
		INSERT INTO payments_sandbox_requests (idempotency_key, fingerprint, outcome) VALUES ($1, $2, $3)
		ON CONFLICT (idempotency_key) DO NOTHING RETURNING idempotency_key
	), intent AS (
		INSERT INTO payments_sandbox_intents (id, kind, status, client_secret)
		SELECT $4, $5, $6, $7 FROM claimed WHERE $4::text IS NOT NULL
	)`

// recordOnce records a request whose outcome was decided before it: claim runs a one-statement mutation
// beginning with claimWithIntent with params (its seven, then args, the statement's own from $8 on), intent
// the 3-D Secure intent to insert with it (nil: none). It answers the outcome recorded first under the key:
// decided when the key was new, else the first request's (replay).
func (g *Gateway) recordOnce(ctx context.Context, claim claimer, key string, digest []byte, decided outcome,
	intent *payments.Intent, args ...any) (outcome, error) {
	encoded, err := json.Marshal(decided)
	if err != nil {
		return outcome{}, err
	}
	var i payments.Intent
	if intent != nil {
		i = *intent
	}
	params := append([]any{key, digest, string(encoded), sql.NullString{String: i.ID, Valid: i.ID != ""}, string(i.Kind),
		string(i.Status), i.ClientSecret}, args...)
	claimed, err := claim(ctx, params)
	switch {
	case err != nil:
		return outcome{}, unavailable(err)
	case !claimed:
		return g.replay(ctx, key, digest)
	}
	return decided, nil
}

// claimer runs a one-statement mutation (see recordOnce) and reports whether it claimed the key: false
// when the key was seen before and nothing was written.
type claimer func(ctx context.Context, params []any) (claimed bool, err error)

// claimAlone is the claimer that runs query by itself.
func (g *Gateway) claimAlone(query string) claimer {
	return func(ctx context.Context, params []any) (bool, error) {
		var claimed string
		err := g.db.QueryRowContext(ctx, query, params...).Scan(&claimed)
		if errors.Is(err, sql.ErrNoRows) {
			return false, nil
		}
		return err == nil, err
	}
}

// once runs a mutation under its idempotency key, in one transaction with everything it records: do runs
// only for a key never seen, and a key seen before answers its first outcome without running anything. A
// second request with the same key waits on the first one's row lock, then replays it. An error from do
// records nothing, so a request refused for its content can be sent again once corrected.
func (g *Gateway) once(ctx context.Context, key string, digest []byte, do func(*sql.Tx) (outcome, error)) (outcome, error) {
	if key == "" {
		return outcome{}, errNoKey
	}
	tx, err := g.db.BeginTx(ctx, nil)
	if err != nil {
		return outcome{}, unavailable(err)
	}
	defer func() { _ = tx.Rollback() }()

	claimed, err := tx.ExecContext(ctx, `
		INSERT INTO payments_sandbox_requests (idempotency_key, fingerprint, outcome) VALUES ($1, $2, '{}')
		ON CONFLICT (idempotency_key) DO NOTHING`, key, digest)
	if err != nil {
		return outcome{}, unavailable(err)
	}
	if n, err := claimed.RowsAffected(); err != nil {
		return outcome{}, unavailable(err)
	} else if n == 0 {
		_ = tx.Rollback()
		return g.replay(ctx, key, digest)
	}

	result, err := do(tx)
	if err != nil {
		return outcome{}, err
	}
	encoded, err := json.Marshal(result)
	if err != nil {
		return outcome{}, err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE payments_sandbox_requests SET outcome = $2 WHERE idempotency_key = $1`, key, encoded); err != nil {
		return outcome{}, unavailable(err)
	}
	if err := tx.Commit(); err != nil {
		return outcome{}, unavailable(err)
	}
	return result, nil
}

// replay answers a key already used: its first outcome when the request is the same, ErrKeyReused otherwise.
func (g *Gateway) replay(ctx context.Context, key string, digest []byte) (outcome, error) {
	var stored []byte
	var first outcome
	var encoded []byte
	err := g.db.QueryRowContext(ctx, `SELECT fingerprint, outcome FROM payments_sandbox_requests WHERE idempotency_key = $1`, key).
		Scan(&stored, &encoded)
	if err != nil {
		return outcome{}, unavailable(err)
	}
	if !bytes.Equal(stored, digest) {
		return outcome{}, fmt.Errorf("%w: %q", ErrKeyReused, key)
	}
	if err := json.Unmarshal(encoded, &first); err != nil {
		return outcome{}, err
	}
	return first, nil
}

// unavailable marks a database failure the sandbox stands for a gateway's outage: no answer (a broken
// connection, a context ended) or a refusal that says "try again" (a serialization failure, a deadlock, a
// statement timeout, a server short of resources or shutting down). The caller retries with the same key.
//
// Any other refusal of the server (a value a column does not take, a broken constraint, a syntax error) is
// a bug that fails the same way on every retry: it is returned as it is, so the API logs it and answers 500
// instead of asking the customer to retry forever. Widening the retryable classes hides such bugs.
func unavailable(err error) error {
	if errors.Is(err, payments.ErrUnavailable) {
		return err
	}
	if refused, ok := errors.AsType[*pq.Error](err); ok && !retryableClasses[refused.Code.Class()] {
		return fmt.Errorf("sandbox: %w", err)
	}
	return fmt.Errorf("%w: sandbox: %w", payments.ErrUnavailable, err)
}

// retryableClasses are PostgreSQL's error classes whose statement may succeed when sent again: connection
// exceptions, transaction rollbacks, insufficient resources, operator intervention and system errors.
var retryableClasses = map[pqerror.Class]bool{"08": true, "40": true, "53": true, "57": true, "58": true}
