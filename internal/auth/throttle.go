package auth

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"database/sql"
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
// by account and an HMAC of the normalised subject (trimmed and lower-cased) under a server key: the table
// never holds an email, and one cannot be recovered from it by hashing guesses, as a bare SHA-256 would
// allow. What a subject is (a customer, or an identifier nobody holds) is the caller's choice
// (commands.Customers.Login).
//
// Use: call Attempt before checking the password and refuse with 429 when it says no (Retry-After: the wait it
// gives); call Succeed after a successful login.
type LoginThrottle struct {
	db  *sqlx.DB
	key []byte
	// Limit failures within Window lock the subject; set them before first use.
	Limit  int
	Window time.Duration
	// Now is the clock; nil means time.Now. Set it before first use (tests).
	Now func() time.Time
}

// NewLoginThrottle returns a LoginThrottle over db (migrations applied) with the default limit and window,
// keying its rows with key (Keys.Throttle). Every instance sharing db must use the same key.
func NewLoginThrottle(db *sqlx.DB, key []byte) *LoginThrottle {
	return &LoginThrottle{db: db, key: key, Limit: DefaultLoginLimit, Window: DefaultLoginWindow}
}

func (l *LoginThrottle) now() time.Time {
	if l.Now != nil {
		return l.Now()
	}
	return time.Now()
}

// subjectHash is the row key of a subject. Stored format: changing the normalisation or the key forgets
// the failures recorded under the old one (harmless: they expire within Window).
func (l *LoginThrottle) subjectHash(subject string) []byte {
	mac := hmac.New(sha256.New, l.key)
	mac.Write([]byte(strings.ToLower(strings.TrimSpace(subject))))
	return mac.Sum(nil)
}

// Attempt counts one login attempt of subject in account and reports whether it may go ahead: false when
// Limit attempts were already counted within Window, with how long until the oldest of the last Limit leaves
// the window and an attempt may go ahead again (retryAfter, for Retry-After). An attempt counts as a failure
// from the start, before the (slow) password check, until Succeed clears the count; so a burst of concurrent
// guesses gets exactly Limit through, never more. Concurrent attempts on one login serialise on its row,
// across API instances.
func (l *LoginThrottle) Attempt(ctx context.Context, account int64, subject string) (allowed bool, retryAfter time.Duration, err error) {
	now, key := l.now(), l.subjectHash(subject)
	tx, err := l.db.BeginTxx(ctx, nil)
	if err != nil {
		return false, 0, fmt.Errorf("auth: count a login attempt: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	_, err = tx.ExecContext(ctx, `INSERT INTO auth_login_failures (account_id, identifier_hash, failed_at, last_failed_at)
		VALUES ($1, $2, '{}', $3) ON CONFLICT (account_id, identifier_hash) DO NOTHING`, account, key, now)
	if err == nil {
		_, err = tx.ExecContext(ctx, `SELECT 1 FROM auth_login_failures WHERE account_id = $1 AND identifier_hash = $2
			FOR UPDATE`, account, key)
	}
	var recent struct {
		Count int `db:"count"`
		// Oldest is the Limit-th most recent failure in the window; NULL while there are fewer.
		Oldest sql.NullTime `db:"oldest"`
	}
	if err == nil {
		err = tx.GetContext(ctx, &recent, `SELECT count(*) AS count, (array_agg(t ORDER BY t DESC))[$4] AS oldest
			FROM auth_login_failures, unnest(failed_at) AS t
			WHERE account_id = $1 AND identifier_hash = $2 AND t > $3`, account, key, now.Add(-l.Window), l.Limit)
	}
	if err == nil && recent.Count < l.Limit {
		_, err = tx.ExecContext(ctx, `UPDATE auth_login_failures AS f SET
			failed_at = ARRAY(SELECT t FROM unnest(f.failed_at || $3::timestamptz) AS t WHERE t > $4 ORDER BY t DESC LIMIT $5),
			last_failed_at = GREATEST(f.last_failed_at, $3)
			WHERE account_id = $1 AND identifier_hash = $2`, account, key, now, now.Add(-l.Window), l.Limit)
	}
	if err == nil {
		err = tx.Commit()
	}
	if err != nil {
		return false, 0, fmt.Errorf("auth: count a login attempt: %w", err)
	}
	if recent.Count < l.Limit {
		return true, 0, nil
	}
	return false, max(recent.Oldest.Time.Add(l.Window).Sub(now), 0), nil
}

// Succeed forgets the failures of subject in account, after a successful login.
func (l *LoginThrottle) Succeed(ctx context.Context, account int64, subject string) error {
	_, err := l.db.ExecContext(ctx, `DELETE FROM auth_login_failures WHERE account_id = $1 AND identifier_hash = $2`,
		account, l.subjectHash(subject))
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
