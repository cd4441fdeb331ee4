package personaldata

import (
	"context"
	"fmt"
)

// rewrapBatch is how many keys one rewrap transaction moves.
const rewrapBatch = 500

// Rewrap moves every stored data key and the naming secret to the keyring's current master key: each one
// wrapped by another key is unwrapped and wrapped again, in batches, and the data keys themselves (so every
// sealed value of the log) stay as they are. When done, a generated master key that is no longer the
// current one is deleted from the database. It returns how many keys it rewrapped.
//
// Run it once every instance runs with the new PELCRO_MASTER_KEY and the old one in
// PELCRO_MASTER_KEY_PREVIOUS; afterwards the old key may be dropped. Running it again is harmless.
func (k *Keys) Rewrap(ctx context.Context) (int, error) {
	current := k.ring.CurrentID()
	total := 0
	for {
		var rows []keyRow
		if err := k.db.SelectContext(ctx, &rows, `SELECT subject, generation, wrapped_key, master_key_id
			FROM personal_data_keys WHERE master_key_id <> $1 LIMIT $2`, current, rewrapBatch); err != nil {
			return total, fmt.Errorf("personaldata: rewrap: %w", err)
		}
		if len(rows) == 0 {
			break
		}
		for _, row := range rows {
			if err := k.rewrapOne(ctx, `UPDATE personal_data_keys SET wrapped_key = $1, master_key_id = $2
				WHERE subject = $3 AND generation = $4 AND master_key_id = $5`, row.KeyID, row.Wrapped,
				keyAAD(row.Subject, row.Generation), row.Subject, row.Generation); err != nil {
				return total, fmt.Errorf("personaldata: rewrap key %d of %s: %w", row.Generation, row.Subject, err)
			}
			total++
		}
	}
	var secret struct {
		Wrapped []byte `db:"wrapped_secret"`
		KeyID   string `db:"master_key_id"`
	}
	err := k.db.GetContext(ctx, &secret, `SELECT wrapped_secret, master_key_id FROM personal_data_secrets WHERE name = $1`,
		namingSecretName)
	if err == nil && secret.KeyID != current {
		err = k.rewrapOne(ctx, `UPDATE personal_data_secrets SET wrapped_secret = $1, master_key_id = $2
			WHERE name = $3 AND master_key_id = $4`, secret.KeyID, secret.Wrapped, namingSecretAAD, namingSecretName)
		total++
	}
	if err != nil && !isNoRows(err) {
		return total, fmt.Errorf("personaldata: rewrap the naming secret: %w", err)
	}
	return total, k.forgetGeneratedMasterKey(ctx)
}

// rewrapOne unwraps wrapped (by master key id) and stores it wrapped by the current key with update, whose
// parameters are the new wrapped bytes, the current key's id, then where (the row's key), then id again.
func (k *Keys) rewrapOne(ctx context.Context, update, id string, wrapped, aad []byte, where ...any) error {
	plaintext, err := k.ring.unwrap(ctx, id, wrapped, aad)
	if err != nil {
		return err
	}
	rewrapped, current, err := k.ring.wrap(ctx, plaintext, aad)
	if err != nil {
		return err
	}
	args := append(append([]any{rewrapped, current}, where...), id)
	_, err = k.db.ExecContext(ctx, update, args...)
	return err
}

// forgetGeneratedMasterKey deletes the generated master key when it is not the current one: once nothing is
// wrapped by it, keeping it next to the keys would defeat a master key kept elsewhere.
func (k *Keys) forgetGeneratedMasterKey(ctx context.Context) error {
	generated, err := generatedMasterKey(ctx, k.db, false)
	if err != nil || generated == nil || generated.ID() == k.ring.CurrentID() {
		return err
	}
	if _, err := k.db.ExecContext(ctx, `DELETE FROM auth_secrets WHERE name = $1`, generatedMasterKeyName); err != nil {
		return fmt.Errorf("personaldata: forget the generated master key: %w", err)
	}
	return nil
}
