package apikeys

import (
	"context"
	"crypto/rand"
	"database/sql"
	"encoding/base64"
	"errors"
	"fmt"
	"time"
)

// SessionTTL is how long a console sign-in lasts.
const SessionTTL = 12 * time.Hour

// StartSession signs a key in to the console: it returns a random token for the session cookie and when the
// session ends. Only the token's hash is stored, and expired sessions are removed on the way.
func (s *Store) StartSession(ctx context.Context, key string) (token string, expires time.Time, err error) {
	k, err := s.Authenticate(ctx, key)
	if err != nil {
		return "", time.Time{}, err
	}
	raw := make([]byte, 32)
	_, _ = rand.Read(raw) // crypto/rand.Read never fails (it crashes the program instead)
	token, now := base64.RawURLEncoding.EncodeToString(raw), s.now().UTC()
	expires = now.Add(SessionTTL)
	if _, err := s.db.ExecContext(ctx, `DELETE FROM admin_sessions WHERE expires_at < $1`, now); err != nil {
		return "", time.Time{}, fmt.Errorf("apikeys: remove expired sessions: %w", err)
	}
	if _, err := s.db.ExecContext(ctx,
		`INSERT INTO admin_sessions (token_hash, api_key_id, expires_at) VALUES ($1, $2, $3)`,
		hash(token), k.ID, expires); err != nil {
		return "", time.Time{}, fmt.Errorf("apikeys: start session: %w", err)
	}
	return token, expires, nil
}

// Session returns the key a console session was started with, or ErrInvalidKey when the session is unknown,
// expired or its key revoked since.
func (s *Store) Session(ctx context.Context, token string) (Key, error) {
	var k Key
	err := s.db.GetContext(ctx, &k, `
		SELECT k.id, k.account_id, k.name, k.created_at, k.revoked_at
		FROM admin_sessions s JOIN api_keys k ON k.id = s.api_key_id
		WHERE s.token_hash = $1 AND s.expires_at > $2 AND k.revoked_at IS NULL`, hash(token), s.now().UTC())
	if errors.Is(err, sql.ErrNoRows) {
		return Key{}, ErrInvalidKey
	}
	if err != nil {
		return Key{}, fmt.Errorf("apikeys: session: %w", err)
	}
	return k, nil
}

// EndSession signs a console session out; an unknown token changes nothing.
func (s *Store) EndSession(ctx context.Context, token string) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM admin_sessions WHERE token_hash = $1`, hash(token)); err != nil {
		return fmt.Errorf("apikeys: end session: %w", err)
	}
	return nil
}
