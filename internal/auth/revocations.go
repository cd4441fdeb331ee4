package auth

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// Revocations is the list of revoked JWTs (logout, refresh) every API instance shares, in the
// auth_revoked_tokens table. A row lives until the token would have expired anyway; Purge drops the rest.
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

// IsRevoked reports whether jti was revoked: one primary-key lookup, made on every protected request.
func (r *Revocations) IsRevoked(ctx context.Context, jti string) (bool, error) {
	var revoked bool
	if err := r.db.GetContext(ctx, &revoked,
		`SELECT EXISTS (SELECT 1 FROM auth_revoked_tokens WHERE jti = $1)`, jti); err != nil {
		return false, fmt.Errorf("auth: check revoked token: %w", err)
	}
	return revoked, nil
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
