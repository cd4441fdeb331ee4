package apikeys

import (
	"context"
	"crypto/subtle"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// Store keeps the keys and console sessions in the read-model database (tables api_keys and admin_sessions,
// migration 00065).
type Store struct {
	db  *sqlx.DB
	now func() time.Time
}

// NewStore returns a Store over db (migrations applied); now is the clock (nil means time.Now).
func NewStore(db *sqlx.DB, now func() time.Time) *Store {
	if now == nil {
		now = time.Now
	}
	return &Store{db: db, now: now}
}

// Create makes a key for accountID and returns it with the whole key, which is not kept anywhere: the caller
// shows it once. A name CheckName refuses is ErrInvalidName.
func (s *Store) Create(ctx context.Context, accountID int64, name string) (Key, string, error) {
	if accountID <= 0 {
		return Key{}, "", fmt.Errorf("apikeys: account id must be positive, got %d", accountID)
	}
	if err := CheckName(name); err != nil {
		return Key{}, "", err
	}
	id, key := newKey()
	k := Key{ID: id, AccountID: accountID, Name: name, CreatedAt: s.now().UTC().Truncate(time.Microsecond)}
	if _, err := s.db.ExecContext(ctx,
		`INSERT INTO api_keys (id, account_id, name, secret_hash, created_at) VALUES ($1, $2, $3, $4, $5)`,
		k.ID, k.AccountID, k.Name, hash(key), k.CreatedAt); err != nil {
		return Key{}, "", fmt.Errorf("apikeys: create: %w", err)
	}
	return k, key, nil
}

// List returns every key, revoked ones included, oldest first.
func (s *Store) List(ctx context.Context) ([]Key, error) {
	keys := []Key{}
	if err := s.db.SelectContext(ctx, &keys,
		`SELECT id, account_id, name, created_at, revoked_at FROM api_keys ORDER BY created_at, id`); err != nil {
		return nil, fmt.Errorf("apikeys: list: %w", err)
	}
	return keys, nil
}

// Revoke makes the key with this id (or the whole key) useless at once, console sessions included.
// Revoking a revoked key changes nothing; an unknown id is ErrUnknownKey.
func (s *Store) Revoke(ctx context.Context, idOrKey string) error {
	id := idOrKey
	if parsed, ok := parseKey(idOrKey); ok {
		id = parsed
	}
	res, err := s.db.ExecContext(ctx,
		`UPDATE api_keys SET revoked_at = coalesce(revoked_at, $2) WHERE id = $1`, id, s.now().UTC())
	if err != nil {
		return fmt.Errorf("apikeys: revoke: %w", err)
	}
	if n, err := res.RowsAffected(); err != nil || n == 0 {
		return errors.Join(ErrUnknownKey, err)
	}
	return nil
}

// Authenticate returns the key a caller presented, or ErrInvalidKey when it is malformed, unknown or
// revoked.
func (s *Store) Authenticate(ctx context.Context, key string) (Key, error) {
	id, ok := parseKey(key)
	if !ok {
		return Key{}, ErrInvalidKey
	}
	var row struct {
		Key
		SecretHash []byte `db:"secret_hash"`
	}
	err := s.db.GetContext(ctx, &row,
		`SELECT id, account_id, name, created_at, revoked_at, secret_hash FROM api_keys WHERE id = $1`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return Key{}, ErrInvalidKey
	}
	if err != nil {
		return Key{}, fmt.Errorf("apikeys: authenticate: %w", err)
	}
	// Constant time: the id is public, the rest of the key is the secret.
	if subtle.ConstantTimeCompare(row.SecretHash, hash(key)) != 1 || row.RevokedAt != nil {
		return Key{}, ErrInvalidKey
	}
	return row.Key, nil
}
