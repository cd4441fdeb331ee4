package newsletter

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/pelcro-oss/pelcro-api/projections"
)

// Store writes the changed rows back: one delete for the entries that had a row and ended unsubscribed or
// erased, one upsert for the others that had a row (and the new ones, when they are few), one COPY for the
// new ones otherwise, and the last id when subscriptions took new ones.
//
// Warning: COPY inserts without a conflict check; it is only right for rows Load saw absent, which nothing
// else inserts meanwhile (the projection's transactions are serialised on its checkpoint, and a rebuild
// alone writes its fresh tables). A row inserted behind its back makes the batch fail, never skip: so it
// goes when two runners start a projection that has no checkpoint row yet (nothing to serialise on), and
// the loser's batch fails on the unique key and is tried again after a back-off, when the winner's
// checkpoint shows it applied. A rebuild is the exception: its batches do not ask about keys they never
// stored, so there such a row is replaced by the upsert, or its later events are skipped, and only Verify
// would see it.
func (b *batch) Store(ctx context.Context, tx *sqlx.Tx) error {
	var gone struct {
		siteIDs []int64
		emails  []string
	}
	upserts, inserts := make([]*entry, 0, len(b.changed)), make([]*entry, 0, len(b.changed))
	for _, s := range b.changed {
		if b.storedBefore != nil && s.row != nil {
			b.storedBefore.add(s.key) // before the statements: a key held in vain costs a probe, one missed a wrong row
		}
		switch row := s.row; {
		case row == nil && s.stored:
			gone.siteIDs, gone.emails = append(gone.siteIDs, s.key.siteID), append(gone.emails, s.key.email)
		case row != nil && s.stored:
			upserts = append(upserts, row)
		case row != nil:
			inserts = append(inserts, row)
		}
	}
	if len(inserts) < b.copyAtLeast {
		upserts, inserts = append(upserts, inserts...), nil
	}
	if len(gone.siteIDs) > 0 {
		_, err := tx.ExecContext(ctx, `DELETE FROM newsletters
			WHERE (site_id, email) IN (SELECT * FROM unnest($1::bigint[], $2::text[]))`,
			pq.Array(gone.siteIDs), pq.Array(gone.emails))
		if err != nil {
			return fmt.Errorf("delete the batch's unsubscribed newsletters: %w", err)
		}
	}
	if err := upsert(ctx, tx, upserts); err != nil {
		return err
	}
	if err := copyIn(ctx, tx, inserts); err != nil {
		return err
	}
	if !b.newIDs {
		return nil
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO newsletter_ids (last_id) VALUES ($1)
		ON CONFLICT (singleton) DO UPDATE SET last_id = excluded.last_id`, b.lastID)
	if err != nil {
		return fmt.Errorf("write the last newsletter id: %w", err)
	}
	return nil
}

// upsert writes rows in one statement, replacing the rows of their keys.
func upsert(ctx context.Context, tx *sqlx.Tx, rows []*entry) error {
	if len(rows) == 0 {
		return nil
	}
	records, err := json.Marshal(rows)
	if err != nil {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO newsletters (`+entryColumns+`)
		SELECT `+entryColumns+` FROM json_populate_recordset(NULL::newsletters, $1)
		`+replaceOnConflict, string(records))
	if err != nil {
		return fmt.Errorf("write the batch's newsletters: %w", err)
	}
	return nil
}

// copyIn inserts rows whose keys have no row with one COPY.
func copyIn(ctx context.Context, tx *sqlx.Tx, rows []*entry) error {
	err := projections.CopyRows(ctx, tx, "newsletters", entryColumnList, len(rows), func(i int) []any {
		r := rows[i]
		return []any{r.SiteID, r.Email, r.ID, r.FirstName, r.LastName, r.PostalCode, r.Source, r.Lists, r.ConsentURL,
			r.ConsentText, r.ConsentType, r.ConsentIP, r.CreatedAt, r.UpdatedAt, r.Revision, r.Stream}
	})
	if err != nil {
		return fmt.Errorf("copy the batch's new newsletters: %w", err)
	}
	return nil
}

// entryColumnList is entryColumns one name an element, in the same order as copyIn's values.
var entryColumnList = strings.Split(strings.Join(strings.Fields(entryColumns), ""), ",")
