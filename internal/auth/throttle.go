package auth

import (
	"context"
	"crypto/sha256"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// Default login lockout of spec 1.3 and rule 7: 10 failures within 5 minutes.
const (
	DefaultLoginLimit  = 10
	DefaultLoginWindow = 5 * time.Minute
)

// LoginThrottle is the login lockout every API instance shares, in the auth_login_failures table. It is keyed
// by account and a SHA-256 of the normalised identifier (email or username, trimmed and lower-cased), so the
// table never holds an email, and an unknown email locks exactly like a known one.
//
// Use: refuse with 429 when Locked; otherwise verify the password, then Fail or Succeed. Concurrent
// attempts that all passed Locked before any Fail can each make one guess; Fail itself never loses a count.
type LoginThrottle struct {
	db *sqlx.DB
	// Limit failures within Window lock the identifier; set them before first use.
	Limit  int
	Window time.Duration
	// Now is the clock; nil means time.Now. Set it before first use (tests).
	Now func() time.Time
}

// NewLoginThrottle returns a LoginThrottle over db (migrations applied) with the default limit and window.
func NewLoginThrottle(db *sqlx.DB) *LoginThrottle {
	return &LoginThrottle{db: db, Limit: DefaultLoginLimit, Window: DefaultLoginWindow}
}

func (l *LoginThrottle) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

// identifierHash is the key of a login identifier. Stored format: changing the normalisation forgets the
// failures recorded under the old one (harmless: they expire within Window).
func identifierHash(identifier string) []byte {
	sum := sha256.Sum256([]byte(strings.ToLower(strings.TrimSpace(identifier))))
	return sum[:]
}

// Locked reports whether identifier had at least Limit failures in account within the last Window.
func (l *LoginThrottle) Locked(ctx context.Context, account int64, identifier string) (bool, error) {
	var failures int
	err := l.db.GetContext(ctx, &failures, `SELECT count(*) FROM auth_login_failures, unnest(failed_at) AS t
		WHERE account_id = $1 AND identifier_hash = $2 AND t > $3`,
		account, identifierHash(identifier), l.now().Add(-l.Window))
	if err != nil {
		return false, fmt.Errorf("auth: read login failures: %w", err)
	}
	return failures >= l.Limit, nil
}

// Fail records one failed login of identifier in account. Concurrent calls serialise on the key's row
// (INSERT ... ON CONFLICT DO UPDATE), so none is lost; the row keeps only the latest Limit failures inside
// Window, so it stays small however long an attack lasts.
func (l *LoginThrottle) Fail(ctx context.Context, account int64, identifier string) error {
	now := l.now()
	_, err := l.db.ExecContext(ctx, `INSERT INTO auth_login_failures AS f (account_id, identifier_hash, failed_at, last_failed_at)
		VALUES ($1, $2, ARRAY[$3::timestamptz], $3)
		ON CONFLICT (account_id, identifier_hash) DO UPDATE SET
			failed_at = ARRAY(SELECT t FROM unnest(f.failed_at || $3::timestamptz) AS t WHERE t > $4 ORDER BY t DESC LIMIT $5),
			last_failed_at = GREATEST(f.last_failed_at, $3)`,
		account, identifierHash(identifier), now, now.Add(-l.Window), l.Limit)
	if err != nil {
		return fmt.Errorf("auth: record login failure: %w", err)
	}
	return nil
}

// Succeed forgets the failures of identifier in account, after a successful login.
func (l *LoginThrottle) Succeed(ctx context.Context, account int64, identifier string) error {
	_, err := l.db.ExecContext(ctx, `DELETE FROM auth_login_failures WHERE account_id = $1 AND identifier_hash = $2`,
		account, identifierHash(identifier))
	if err != nil {
		return fmt.Errorf("auth: clear login failures: %w", err)
	}
	return nil
}

// Purge deletes the rows whose last failure is older than Window (they no longer lock anything) and
// returns how many. Call it periodically, e.g. every few minutes, from any instance.
func (l *LoginThrottle) Purge(ctx context.Context) (int64, error) {
	res, err := l.db.ExecContext(ctx, `DELETE FROM auth_login_failures WHERE last_failed_at <= $1`, l.now().Add(-l.Window))
	if err != nil {
		return 0, fmt.Errorf("auth: purge login failures: %w", err)
	}
	return res.RowsAffected()
}
