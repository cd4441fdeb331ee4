// Package newsletter projects the newsletter events into the newsletters read model (migrations 00003 and
// 00013), which queries.Newsletters reads for GET /newsletter/{email} and for answering the writes.
//
// An erased entry's events read with an empty email and empty details (internal/personaldata): they are
// skipped, and newsletter.erased deletes the row of its stream, so neither the running projection nor a
// rebuild keeps a trace of the person.
package newsletter

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// Name is the projection's name and checkpoint key; writes wait for it before answering (read-your-writes).
// Warning: changing it replays the whole log into the same tables (see projections.Projection.Name).
const Name = "newsletters.v1"

// Projection keeps newsletters (one row per subscribed entry) and newsletter_ids (the entry numbering). The
// running projection applies a lone event through its apply funcs, several ready at once through applyBatch,
// and a rebuild its whole batches through a newRebuildBatch of its own.
func Projection() projections.Projection {
	return projections.Projection{
		Name:   Name,
		Tables: []string{"newsletters", "newsletter_ids"},
		Handlers: []projections.Handler{
			projections.On(applySubscribed),
			projections.On(applyUpdated),
			projections.On(applyUnsubscribed),
			projections.On(applyErased),
		},
		Batch:        applyBatch,
		RebuildBatch: func() projections.BatchFunc { return newRebuildBatch(projections.MinRowsToCopy) },
	}
}

// applySubscribed inserts the entry with the next id. A row already at or past this revision means the event
// is applied already: nothing changes and no id is spent. An erased subscription (no email) adds no row but
// still spends its id: the running projection may have numbered the entry before its erasure, and a rebuild
// must give every later entry the id it had (the id is public: GET /newsletter/{email}).
func applySubscribed(ctx context.Context, tx *sqlx.Tx, e projections.Event[newsletter.Subscribed]) error {
	if e.Data.Email == "" {
		_, err := nextID(ctx, tx)
		return err
	}
	var applied bool
	err := tx.GetContext(ctx, &applied,
		`SELECT EXISTS (SELECT 1 FROM newsletters WHERE site_id = $1 AND email = $2 AND revision >= $3)`,
		e.Data.SiteID, e.Data.Email, e.Revision)
	if err != nil || applied {
		return err
	}
	id, err := nextID(ctx, tx)
	if err != nil {
		return err
	}
	d := e.Data.Details
	_, err = tx.ExecContext(ctx, `INSERT INTO newsletters (site_id, email, id, first_name, last_name, postal_code,
		source, lists, consent_url, consent_text, consent_type, consent_ip, created_at, updated_at, revision, stream_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14, $15)
		`+replaceOnConflict,
		e.Data.SiteID, e.Data.Email, id, d.FirstName, d.LastName, d.PostalCode, d.Source, d.Lists,
		d.ConsentURL, d.ConsentText, d.ConsentType, d.ConsentIP, e.Data.SubscribedAt, e.Revision, e.Stream)
	return err
}

// replaceOnConflict makes an INSERT of a whole newsletters row replace the row of its key.
const replaceOnConflict = `ON CONFLICT (site_id, email) DO UPDATE SET id = excluded.id, first_name = excluded.first_name,
	last_name = excluded.last_name, postal_code = excluded.postal_code, source = excluded.source,
	lists = excluded.lists, consent_url = excluded.consent_url, consent_text = excluded.consent_text,
	consent_type = excluded.consent_type, consent_ip = excluded.consent_ip,
	created_at = excluded.created_at, updated_at = excluded.updated_at, revision = excluded.revision,
	stream_id = excluded.stream_id`

// nextID spends the next entry id.
func nextID(ctx context.Context, tx *sqlx.Tx) (int64, error) {
	var id int64
	err := tx.GetContext(ctx, &id, `INSERT INTO newsletter_ids (last_id) VALUES (1)
		ON CONFLICT (singleton) DO UPDATE SET last_id = newsletter_ids.last_id + 1 RETURNING last_id`)
	if err != nil {
		return 0, fmt.Errorf("next newsletter id: %w", err)
	}
	return id, nil
}

// applyUpdated replaces the entry's details when the row is older than the event.
func applyUpdated(ctx context.Context, tx *sqlx.Tx, e projections.Event[newsletter.Updated]) error {
	d := e.Data.Details
	_, err := tx.ExecContext(ctx, `UPDATE newsletters SET first_name = $3, last_name = $4, postal_code = $5,
		source = $6, lists = $7, consent_url = $8, consent_text = $9, consent_type = $10, consent_ip = $11,
		updated_at = $12, revision = $13
		WHERE site_id = $1 AND email = $2 AND revision < $13`,
		e.Data.SiteID, e.Data.Email, d.FirstName, d.LastName, d.PostalCode, d.Source, d.Lists,
		d.ConsentURL, d.ConsentText, d.ConsentType, d.ConsentIP, e.Data.UpdatedAt, e.Revision)
	return err
}

// applyUnsubscribed deletes the entry when the row is older than the event (a later subscription stays).
func applyUnsubscribed(ctx context.Context, tx *sqlx.Tx, e projections.Event[newsletter.Unsubscribed]) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM newsletters WHERE site_id = $1 AND email = $2 AND revision < $3`,
		e.Data.SiteID, e.Data.Email, e.Revision)
	return err
}

// applyErased deletes the row of the erased entry's stream, when it is older than the event.
func applyErased(ctx context.Context, tx *sqlx.Tx, e projections.Event[newsletter.Erased]) error {
	_, err := tx.ExecContext(ctx, `DELETE FROM newsletters WHERE stream_id = $1 AND revision < $2`, e.Stream, e.Revision)
	return err
}

// Forget deletes the site's entry of a normalised email at once, for `pelcro newsletter erase`, which does
// not wait for the projection to apply newsletter.erased (that deletes nothing more afterwards).
func Forget(ctx context.Context, db sqlx.ExecerContext, siteID int64, email string) error {
	if _, err := db.ExecContext(ctx, `DELETE FROM newsletters WHERE site_id = $1 AND email = $2`, siteID, email); err != nil {
		return fmt.Errorf("forget the newsletter entry: %w", err)
	}
	return nil
}
