// Package newsletter projects the newsletter events into the newsletters read model (migration 00003), which
// queries.Newsletters reads for GET /newsletter/{email} and for answering the writes.
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
// running projection applies each event through its apply funcs; rebuilds apply whole batches (applyBatch).
func Projection() projections.Projection {
	return projections.Projection{
		Name:   Name,
		Tables: []string{"newsletters", "newsletter_ids"},
		Handlers: []projections.Handler{
			projections.On(applySubscribed),
			projections.On(applyUpdated),
			projections.On(applyUnsubscribed),
		},
		Batch: applyBatch,
	}
}

// applySubscribed inserts the entry with the next id. A row already at or past this revision means the event
// is applied already: nothing changes and no id is spent.
func applySubscribed(ctx context.Context, tx *sqlx.Tx, e projections.Event[newsletter.Subscribed]) error {
	var applied bool
	err := tx.GetContext(ctx, &applied,
		`SELECT EXISTS (SELECT 1 FROM newsletters WHERE site_id = $1 AND email = $2 AND revision >= $3)`,
		e.Data.SiteID, e.Data.Email, e.Revision)
	if err != nil || applied {
		return err
	}
	var id int64
	err = tx.GetContext(ctx, &id, `INSERT INTO newsletter_ids (last_id) VALUES (1)
		ON CONFLICT (singleton) DO UPDATE SET last_id = newsletter_ids.last_id + 1 RETURNING last_id`)
	if err != nil {
		return fmt.Errorf("next newsletter id: %w", err)
	}
	d := e.Data.Details
	_, err = tx.ExecContext(ctx, `INSERT INTO newsletters (site_id, email, id, first_name, last_name, postal_code,
		source, lists, consent_url, consent_text, consent_type, consent_ip, created_at, updated_at, revision)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $13, $14)
		ON CONFLICT (site_id, email) DO UPDATE SET id = excluded.id, first_name = excluded.first_name,
			last_name = excluded.last_name, postal_code = excluded.postal_code, source = excluded.source,
			lists = excluded.lists, consent_url = excluded.consent_url, consent_text = excluded.consent_text,
			consent_type = excluded.consent_type, consent_ip = excluded.consent_ip,
			created_at = excluded.created_at, updated_at = excluded.updated_at, revision = excluded.revision`,
		e.Data.SiteID, e.Data.Email, id, d.FirstName, d.LastName, d.PostalCode, d.Source, d.Lists,
		d.ConsentURL, d.ConsentText, d.ConsentType, d.ConsentIP, e.Data.SubscribedAt, e.Revision)
	return err
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
