package auth

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// Revocations is the list of revoked JWTs (logout, refresh) every API instance shares, in the
// auth_revoked_tokens table. A row lives until the token would have expired anyway; Purge drops the rest.
// Standing also reads the customers' cutoffs (tokens_valid_after of the customers read model), so a request
// checks both in one statement.
type Revocations struct {
	db *sqlx.DB
	// Now is the clock Purge uses; nil means time.Now. Set it before first use (tests).
	Now func() time.Time
}

// NewRevocations returns Revocations over db (migrations applied).
func NewRevocations(db *sqlx.DB) *Revocations { return &Revocations{db: db} }

// Revoke records that the token jti, valid until expiresAt (Claims.ExpiresAt), may no longer be used, and
// reports whether this call is the one that revoked it. Of any number of concurrent calls for one jti, on
// any number of instances, exactly one reports true (the insert into the primary key is the point where
// they serialise): only that caller may act on the token's behalf, e.g. issue its replacement at refresh.
func (r *Revocations) Revoke(ctx context.Context, jti string, expiresAt time.Time) (bool, error) {
	res, err := r.db.ExecContext(ctx, `INSERT INTO auth_revoked_tokens (jti, expires_at) VALUES ($1, $2)
		ON CONFLICT (jti) DO NOTHING`, jti, expiresAt)
	if err != nil {
		return false, fmt.Errorf("auth: revoke token: %w", err)
	}
	inserted, err := res.RowsAffected()
	if err != nil {
		return false, fmt.Errorf("auth: revoke token: %w", err)
	}
	return inserted == 1, nil
}

// Standing is what a protected request must know of its token besides the signature: whether it was
// revoked one by one (Revoked), whether its customer exists in the account the token names (Known: the
// customers read model has them, in that account), and the customer's cutoff, before which every token of
// theirs stopped counting (a password change, an unlinked identity; the zero time when none).
//
// Known is the one place every authenticated request, read or write, checks that the customer belongs to
// the token's account: a token signed for account 1 that names a customer of account 2 names nobody.
type Standing struct {
	Revoked    bool
	Known      bool
	ValidAfter time.Time
}

// standingQuery reads both lists a token is checked against by primary key, in one statement: every
// protected request runs it, and two statements were two round trips.
const standingQuery = `SELECT EXISTS (SELECT 1 FROM auth_revoked_tokens WHERE jti = $1) AS revoked,
	c.id IS NOT NULL AS known, c.tokens_valid_after
	FROM (VALUES (1)) AS one LEFT JOIN customers c ON c.id = $2 AND c.account_id = $3`

// Standing returns the standing of the token jti of the customer customerID, issued for accountID.
func (r *Revocations) Standing(ctx context.Context, jti string, customerID, accountID int64) (Standing, error) {
	var row struct {
		Revoked    bool         `db:"revoked"`
		Known      bool         `db:"known"`
		ValidAfter sql.NullTime `db:"tokens_valid_after"`
	}
	if err := r.db.GetContext(ctx, &row, standingQuery, jti, customerID, accountID); err != nil {
		return Standing{}, fmt.Errorf("auth: check token %s of customer %d: %w", jti, customerID, err)
	}
	return Standing{Revoked: row.Revoked, Known: row.Known, ValidAfter: row.ValidAfter.Time}, nil
}

// Purge deletes the rows of tokens that have expired (Parse refuses those already, with TokenLeeway to
// spare) and returns how many. Call it periodically, e.g. hourly, from any instance.
func (r *Revocations) Purge(ctx context.Context) (int64, error) {
	now := time.Now()
	if r.Now != nil {
		now = r.Now()
	}
	res, err := r.db.ExecContext(ctx, `DELETE FROM auth_revoked_tokens WHERE expires_at < $1`, now.Add(-TokenLeeway))
	if err != nil {
		return 0, fmt.Errorf("auth: purge revoked tokens: %w", err)
	}
	return res.RowsAffected()
}
