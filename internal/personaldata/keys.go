package personaldata

import (
	"context"
	"crypto/cipher"
	"crypto/rand"
	"database/sql"
	"errors"
	"fmt"
	"strconv"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// dataKeySize is the size of a subject's data key: AES-256.
const dataKeySize = 32

// subjectKeys is what is known of one subject's keys: the unwrapped key of every live generation, and its
// erasure.
type subjectKeys struct {
	// erased says the subject was erased at least once: values of generations up to erasedThrough
	// (plaintext ones, generation 0, included) are gone.
	erased        bool
	erasedThrough int
	keys          map[int]cipher.AEAD
	// memo remembers events opened with these keys and with no others (see openedMemo).
	memo openedMemo
}

// gone tells whether a value of generation g was erased.
func (k *subjectKeys) gone(g int) bool { return k.erased && g <= k.erasedThrough }

// Keys keeps the data keys of the subjects in PostgreSQL (personal_data_keys, personal_data_erasures),
// wrapped by the keyring's master key.
type Keys struct {
	db   *sqlx.DB
	ring *Keyring
}

// NewKeys returns the keys kept in db (read-model migrations applied) and wrapped by ring.
func NewKeys(db *sqlx.DB, ring *Keyring) *Keys { return &Keys{db: db, ring: ring} }

// keyAAD binds a wrapped data key to its subject and generation.
func keyAAD(subject string, generation int) []byte {
	return []byte("pelcro personal data key v1\x00" + subject + "\x00" + strconv.Itoa(generation))
}

// subjectLock serialises the creation of a subject's key with its shredding (a transaction-scoped advisory
// lock on a hash of the subject): a key can never be created for a generation an erasure just shredded.
const subjectLock = `SELECT pg_advisory_xact_lock(hashtextextended('pelcro personal data:' || $1, 0))`

// current returns the generation and key that seal new values of subject, creating the key when the subject
// has none yet (or none since its last erasure). The usual case is one indexed read without a lock.
func (k *Keys) current(ctx context.Context, subject string) (int, cipher.AEAD, error) {
	const live = `SELECT generation, wrapped_key, master_key_id FROM personal_data_keys
		WHERE subject = $1 AND generation =
			coalesce((SELECT erased_through FROM personal_data_erasures WHERE subject = $1), 0) + 1`
	var row keyRow
	err := k.db.GetContext(ctx, &row, live, subject)
	if errors.Is(err, sql.ErrNoRows) {
		row, err = k.create(ctx, subject)
	}
	if err != nil {
		return 0, nil, fmt.Errorf("personaldata: key of %s: %w", subject, err)
	}
	aead, err := k.unwrap(ctx, subject, row)
	return row.Generation, aead, err
}

// keyRow is one stored key.
type keyRow struct {
	Subject    string `db:"subject"`
	Generation int    `db:"generation"`
	Wrapped    []byte `db:"wrapped_key"`
	KeyID      string `db:"master_key_id"`
}

// create makes the subject's key of the generation after its last erasure, under the subject's lock, unless
// a concurrent caller made it first.
func (k *Keys) create(ctx context.Context, subject string) (keyRow, error) {
	tx, err := k.db.BeginTxx(ctx, nil)
	if err != nil {
		return keyRow{}, err
	}
	defer func() { _ = tx.Rollback() }()
	row := keyRow{Subject: subject}
	if _, err := tx.ExecContext(ctx, subjectLock, subject); err != nil {
		return keyRow{}, err
	}
	if err := tx.GetContext(ctx, &row.Generation, `SELECT coalesce((SELECT erased_through FROM personal_data_erasures
		WHERE subject = $1), 0) + 1`, subject); err != nil {
		return keyRow{}, err
	}
	fresh := make([]byte, dataKeySize)
	_, _ = rand.Read(fresh) // crypto/rand.Read never fails (it crashes the program instead)
	if row.Wrapped, row.KeyID, err = k.ring.wrap(ctx, fresh, keyAAD(subject, row.Generation)); err != nil {
		return keyRow{}, err
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO personal_data_keys (subject, generation, wrapped_key, master_key_id)
		VALUES ($1, $2, $3, $4) ON CONFLICT (subject, generation) DO NOTHING`,
		subject, row.Generation, row.Wrapped, row.KeyID); err != nil {
		return keyRow{}, err
	}
	if err := tx.GetContext(ctx, &row, `SELECT subject, generation, wrapped_key, master_key_id FROM personal_data_keys
		WHERE subject = $1 AND generation = $2`, subject, row.Generation); err != nil {
		return keyRow{}, err
	}
	return row, tx.Commit()
}

func (k *Keys) unwrap(ctx context.Context, subject string, row keyRow) (cipher.AEAD, error) {
	key, err := k.ring.unwrap(ctx, row.KeyID, row.Wrapped, keyAAD(subject, row.Generation))
	if err != nil {
		return nil, fmt.Errorf("personaldata: key %d of %s: %w", row.Generation, subject, err)
	}
	return newAEAD(key)
}

// lookup reads the keys and erasures of subjects in one query. Every subject is in the answer, with no keys
// when it has none.
func (k *Keys) lookup(ctx context.Context, subjects []string) (map[string]*subjectKeys, error) {
	rows, err := k.db.QueryxContext(ctx, `SELECT s.subject, e.erased_through, k.generation, k.wrapped_key, k.master_key_id
		FROM unnest($1::text[]) AS s(subject)
		LEFT JOIN personal_data_erasures e ON e.subject = s.subject
		LEFT JOIN personal_data_keys k ON k.subject = s.subject`, pq.Array(subjects))
	if err != nil {
		return nil, fmt.Errorf("personaldata: read keys: %w", err)
	}
	defer rows.Close()
	found := make(map[string]*subjectKeys, len(subjects))
	for rows.Next() {
		var subject string
		var erasedThrough, generation sql.NullInt64
		var wrapped []byte
		var keyID sql.NullString
		if err := rows.Scan(&subject, &erasedThrough, &generation, &wrapped, &keyID); err != nil {
			return nil, fmt.Errorf("personaldata: read keys: %w", err)
		}
		sk := found[subject]
		if sk == nil {
			sk = &subjectKeys{erased: erasedThrough.Valid, erasedThrough: int(erasedThrough.Int64), keys: map[int]cipher.AEAD{}}
			found[subject] = sk
		}
		if generation.Valid {
			aead, err := k.unwrap(ctx, subject, keyRow{Generation: int(generation.Int64), Wrapped: wrapped, KeyID: keyID.String})
			if err != nil {
				return nil, err
			}
			sk.keys[int(generation.Int64)] = aead
		}
	}
	return found, rows.Err()
}

// shred erases subject: every generation of its keys so far is deleted and recorded as erased, so its sealed
// values (and its values stored in plaintext before sealing existed) are never served again. Shredding an
// erased subject again shreds whatever generation it got since. The subject's parts (parts.go) are erased
// with it. It reports whether the subject itself had a key, now or before an earlier shred: false only for
// a subject never sealed under.
//
// One statement deletes the keys and records the erasure of exactly those it deleted: a part's key is
// created under the part's lock, not its subject's, so a key created while the subject is shredded is either
// deleted and recorded, or left alive, never deleted unrecorded (which would fail every read of the stream).
//
// PostgreSQL keeps a deleted row's bytes until VACUUM reclaims the space, and backups keep them for as long
// as they are kept (see docs/security.md).
func (k *Keys) shred(ctx context.Context, subject string) (bool, error) {
	tx, err := k.db.BeginTxx(ctx, nil)
	if err != nil {
		return false, err
	}
	defer func() { _ = tx.Rollback() }()
	if _, err := tx.ExecContext(ctx, subjectLock, subject); err != nil {
		return false, fmt.Errorf("personaldata: shred %s: %w", subject, err)
	}
	// The parts of subject are the names from subject+"/" up to subject+"0" ('0' follows '/'), which the
	// primary key finds: subject is COLLATE "C", ordered by bytes. The subject itself is recorded erased even
	// with no key (its plaintext values, generation 0, are gone).
	var had bool
	if err := tx.GetContext(ctx, &had, `WITH deleted AS (
			DELETE FROM personal_data_keys
			WHERE subject = $1::text OR (subject >= $1::text || '/' AND subject < $1::text || '0')
			RETURNING subject, generation),
		recorded AS (
			INSERT INTO personal_data_erasures (subject, erased_through, erased_at)
			SELECT subject, max(generation), now()
			FROM (SELECT subject, generation FROM deleted UNION ALL SELECT $1::text, 0) AS shredded
			GROUP BY subject
			ON CONFLICT (subject) DO UPDATE SET erased_at = excluded.erased_at,
				erased_through = greatest(personal_data_erasures.erased_through, excluded.erased_through))
		SELECT EXISTS (SELECT FROM deleted WHERE subject = $1::text)
			OR EXISTS (SELECT FROM personal_data_erasures WHERE subject = $1::text AND erased_through > 0)`, subject); err != nil {
		return false, fmt.Errorf("personaldata: shred %s: %w", subject, err)
	}
	return had, tx.Commit()
}
