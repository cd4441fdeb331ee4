package newsletter

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// applyBatch is the projection's Batch, used by rebuilds and by the running projection whenever several
// events are ready at once: it reads the rows the batch touches and the last id, folds the events over them
// in memory by the rules of the apply funcs (applySubscribed, applyUpdated, applyUnsubscribed, applyErased),
// and writes the outcome back in at most three statements. Per-event statements cost a round trip or two
// each and capped a rebuild at a few thousand events a second.
//
// Warning: a change to the rules of one must be made to the other; TestBatchMatchesTheApplyFuncs holds them
// together.
var applyBatch = projections.FoldBatch(func() projections.Folder { return newBatch(projections.MinRowsToCopy) })

// newBatch is an empty batch that COPYs its new rows once it has copyAtLeast of them (see Store).
func newBatch(copyAtLeast int) *batch {
	return &batch{slots: map[entryKey]*slot{}, copyAtLeast: copyAtLeast}
}

// entryKey is a row's primary key.
type entryKey struct {
	siteID int64
	email  string
}

// entry is one newsletters row; the json names are the column names (store writes rows as JSON records).
type entry struct {
	SiteID      int64     `db:"site_id" json:"site_id"`
	Email       string    `db:"email" json:"email"`
	ID          int64     `db:"id" json:"id"`
	FirstName   string    `db:"first_name" json:"first_name"`
	LastName    string    `db:"last_name" json:"last_name"`
	PostalCode  string    `db:"postal_code" json:"postal_code"`
	Source      string    `db:"source" json:"source"`
	Lists       string    `db:"lists" json:"lists"`
	ConsentURL  string    `db:"consent_url" json:"consent_url"`
	ConsentText string    `db:"consent_text" json:"consent_text"`
	ConsentType string    `db:"consent_type" json:"consent_type"`
	ConsentIP   string    `db:"consent_ip" json:"consent_ip"`
	CreatedAt   time.Time `db:"created_at" json:"created_at"`
	UpdatedAt   time.Time `db:"updated_at" json:"updated_at"`
	Revision    int64     `db:"revision" json:"revision"`
	Stream      string    `db:"stream_id" json:"stream_id"`
}

func (r *entry) setDetails(d newsletter.Details) {
	r.FirstName, r.LastName, r.PostalCode, r.Source, r.Lists = d.FirstName, d.LastName, d.PostalCode, d.Source, d.Lists
	r.ConsentURL, r.ConsentText, r.ConsentType, r.ConsentIP = d.ConsentURL, d.ConsentText, d.ConsentType, d.ConsentIP
}

// batch is the state of the rows a batch touches, a slot per (site, email). changed lists the slots to
// write back, in the order they were first changed. storedBefore, in a rebuild only, holds every key the
// rebuild's batches wrote a row for (see newRebuildBatch); nil: any key may have a row.
type batch struct {
	slots        map[entryKey]*slot
	changed      []*slot
	storedBefore *keyFilter
	lastID       int64
	newIDs       bool
	copyAtLeast  int
}

// slot is one key's row in a batch. One map of slots, not a map each for the rows, the keys changed and
// the keys stored: hashing the keys over and over was a twentieth of a rebuild's Go CPU.
type slot struct {
	key    entryKey
	row    *entry // nil while the key has no row
	stored bool   // the table had a row for the key when Load read it
	dirty  bool   // in changed
}

// Load reads the current rows of every entry the events name (by email, or by stream for an erasure) and,
// when one subscribes, the last id.
func (b *batch) Load(ctx context.Context, tx *sqlx.Tx, events []projections.Event[any]) error {
	var siteIDs []int64
	var emails, erasedStreams []string
	subscribes := false
	for _, e := range events {
		if _, erased := e.Data.(newsletter.Erased); erased {
			erasedStreams = append(erasedStreams, e.Stream)
			continue
		}
		k, err := keyOf(e.Data)
		if err != nil {
			return err
		}
		if _, seen := b.slots[k]; !seen && k.email != "" {
			b.slots[k] = &slot{key: k}
			if b.storedBefore == nil || b.storedBefore.mayHold(k) {
				siteIDs, emails = append(siteIDs, k.siteID), append(emails, k.email)
			}
		}
		_, isSubscribed := e.Data.(newsletter.Subscribed)
		subscribes = subscribes || isSubscribed
	}
	// Two index lookups joined by UNION, not one WHERE … IN … OR …: an OR over a subquery cannot use
	// either index and scanned the whole table once per batch, which made a rebuild quadratic in its rows.
	if len(emails) == 0 && len(erasedStreams) == 0 {
		return b.loadLastID(ctx, tx, subscribes)
	}
	var current []entry
	err := tx.SelectContext(ctx, &current, `SELECT `+entryColumns+` FROM newsletters
			WHERE (site_id, email) IN (SELECT * FROM unnest($1::bigint[], $2::text[]))
		UNION SELECT `+entryColumns+` FROM newsletters WHERE stream_id = ANY($3)`,
		pq.Array(siteIDs), pq.Array(emails), pq.Array(erasedStreams))
	if err != nil {
		return fmt.Errorf("read the batch's newsletters: %w", err)
	}
	for i := range current {
		k := entryKey{current[i].SiteID, current[i].Email}
		b.slots[k] = &slot{key: k, row: &current[i], stored: true}
	}
	return b.loadLastID(ctx, tx, subscribes)
}

// loadLastID reads the last id when the batch subscribes (and may then take new ones).
func (b *batch) loadLastID(ctx context.Context, tx *sqlx.Tx, subscribes bool) error {
	if !subscribes {
		return nil
	}
	err := tx.GetContext(ctx, &b.lastID, `SELECT last_id FROM newsletter_ids`)
	if errors.Is(err, sql.ErrNoRows) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("read the last newsletter id: %w", err)
	}
	return nil
}

// entryColumns are the newsletters columns, as entry names them.
const entryColumns = `site_id, email, id, first_name, last_name, postal_code, source, lists, consent_url,
	consent_text, consent_type, consent_ip, created_at, updated_at, revision, stream_id`

func keyOf(data any) (entryKey, error) {
	switch d := data.(type) {
	case newsletter.Subscribed:
		return entryKey{d.SiteID, d.Email}, nil
	case newsletter.Updated:
		return entryKey{d.SiteID, d.Email}, nil
	case newsletter.Unsubscribed:
		return entryKey{d.SiteID, d.Email}, nil
	}
	return entryKey{}, fmt.Errorf("newsletter batch: unexpected event %T", data)
}

// Fold applies one event to the in-memory rows, by the apply funcs' rules: a subscription not yet reflected
// takes the next id and replaces the row; an update or an unsubscription changes a row older than itself; an
// erasure removes the row of its stream older than itself; an erased event (no email) changes nothing, but
// an erased subscription still spends its id.
func (b *batch) Fold(e projections.Event[any]) error {
	if _, erased := e.Data.(newsletter.Erased); erased {
		for _, s := range b.slots {
			if s.row != nil && s.row.Stream == e.Stream && s.row.Revision < int64(e.Revision) {
				b.set(s, nil)
			}
		}
		return nil
	}
	k, err := keyOf(e.Data)
	if err != nil {
		return err
	}
	if k.email == "" {
		if _, subscribed := e.Data.(newsletter.Subscribed); subscribed {
			b.lastID++
			b.newIDs = true
		}
		return nil
	}
	s := b.slots[k] // Load made one for every key with an email
	revision, row := int64(e.Revision), s.row
	switch d := e.Data.(type) {
	case newsletter.Subscribed:
		if row != nil && row.Revision >= revision {
			return nil
		}
		b.lastID++
		b.newIDs = true
		row = &entry{SiteID: d.SiteID, Email: d.Email, ID: b.lastID, CreatedAt: d.SubscribedAt,
			UpdatedAt: d.SubscribedAt, Revision: revision, Stream: e.Stream}
		row.setDetails(d.Details)
	case newsletter.Updated:
		if row == nil || row.Revision >= revision {
			return nil
		}
		row.setDetails(d.Details)
		row.UpdatedAt, row.Revision = d.UpdatedAt, revision
	case newsletter.Unsubscribed:
		if row == nil || row.Revision >= revision {
			return nil
		}
		row = nil
	}
	b.set(s, row)
	return nil
}

// set makes row the slot's row (nil: none) and remembers to write it back.
func (b *batch) set(s *slot, row *entry) {
	s.row = row
	if !s.dirty {
		s.dirty = true
		b.changed = append(b.changed, s)
	}
}
