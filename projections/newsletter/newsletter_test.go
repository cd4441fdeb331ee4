package newsletter

import (
	"context"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/projections"
	"github.com/pelcro-oss/pelcro-api/projections/projectiontest"
)

var (
	t1 = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	t2 = time.Date(2025, 3, 2, 9, 0, 0, 0, time.UTC)
	t3 = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
)

// step is one event of an entry's stream at its revision, applied as the runner would.
type step = projectiontest.Step

func at[E any](revision uint64, apply projections.ApplyFunc[E], data E) step {
	return projectiontest.At(revision, apply, data)
}

func subscribed(revision uint64, email string, when time.Time) step {
	return inStream("newsletter-"+email, revision, applySubscribed, newsletter.Subscribed{SiteID: 1232, Email: email,
		Details: newsletter.Details{FirstName: "Ann", Source: "footer"}, SubscribedAt: when})
}

// inStream is the event data at a revision of the named stream.
func inStream[E any](stream string, revision uint64, apply projections.ApplyFunc[E], data E) step {
	return func(ctx context.Context, tx *sqlx.Tx) error {
		return apply(ctx, tx, projections.Event[E]{Envelope: projections.Envelope{Stream: stream, Revision: revision}, Data: data})
	}
}

// erasedAt is the erasure of email's stream at a revision.
func erasedAt(revision uint64, email string) step {
	return inStream("newsletter-"+email, revision, applyErased, newsletter.Erased{SiteID: 1232, ErasedAt: t3})
}

var (
	updated      = at(1, applyUpdated, newsletter.Updated{SiteID: 1232, Email: "ann@example.com", UpdatedAt: t2, Details: newsletter.Details{FirstName: "Ann", LastName: "Lee", Lists: "daily"}})
	unsubscribed = at(2, applyUnsubscribed, newsletter.Unsubscribed{SiteID: 1232, Email: "ann@example.com", UnsubscribedAt: t3})
)

// row is what the read model holds for an entry.
type row struct {
	SiteID    int64     `db:"site_id"`
	Email     string    `db:"email"`
	ID        int64     `db:"id"`
	FirstName string    `db:"first_name"`
	LastName  string    `db:"last_name"`
	Source    string    `db:"source"`
	Lists     string    `db:"lists"`
	CreatedAt time.Time `db:"created_at"`
	UpdatedAt time.Time `db:"updated_at"`
	Revision  int64     `db:"revision"`
}

func TestNewsletterRows(t *testing.T) {
	t.Parallel()
	ann := row{SiteID: 1232, Email: "ann@example.com", ID: 1, FirstName: "Ann", Source: "footer", CreatedAt: t1, UpdatedAt: t1}
	annUpdated := row{SiteID: 1232, Email: "ann@example.com", ID: 1, FirstName: "Ann", LastName: "Lee", Lists: "daily",
		CreatedAt: t1, UpdatedAt: t2, Revision: 1}
	annAgain := row{SiteID: 1232, Email: "ann@example.com", ID: 3, FirstName: "Ann", Source: "footer", CreatedAt: t3, UpdatedAt: t3, Revision: 3}
	bob := row{SiteID: 1232, Email: "bob@example.com", ID: 2, FirstName: "Ann", Source: "footer", CreatedAt: t2, UpdatedAt: t2}

	cases := []struct {
		name  string
		given []step
		when  step
		then  []row
	}{
		{"subscribed inserts the entry with the first id", nil, subscribed(0, "ann@example.com", t1), []row{ann}},
		{"updated replaces the details", []step{subscribed(0, "ann@example.com", t1)}, updated, []row{annUpdated}},
		{"unsubscribed deletes the row", []step{subscribed(0, "ann@example.com", t1), updated}, unsubscribed, nil},
		{"ids follow subscription order", []step{subscribed(0, "ann@example.com", t1)}, subscribed(0, "bob@example.com", t2),
			[]row{ann, bob}},
		{"subscribing again after a delete is a new entry with a new id",
			[]step{subscribed(0, "ann@example.com", t1), subscribed(0, "bob@example.com", t2), unsubscribed},
			subscribed(3, "ann@example.com", t3), []row{annAgain, bob}},
		{"erased deletes the row of its stream only",
			[]step{subscribed(0, "ann@example.com", t1), subscribed(0, "bob@example.com", t2)}, erasedAt(1, "ann@example.com"),
			[]row{bob}},
		{"an erased subscription (read without its email) adds no row", nil,
			inStream("newsletter-ann@example.com", 0, applySubscribed, newsletter.Subscribed{SiteID: 1232, SubscribedAt: t1}), nil},
		{"an erased subscription spends its id, so later entries keep the ids they had before the erasure",
			[]step{inStream("newsletter-ann@example.com", 0, applySubscribed, newsletter.Subscribed{SiteID: 1232, SubscribedAt: t1})},
			subscribed(0, "bob@example.com", t2), []row{bob}},
		{"an erasure older than the row leaves it (the entry subscribed again)",
			[]step{subscribed(3, "ann@example.com", t3)}, erasedAt(2, "ann@example.com"),
			[]row{{SiteID: 1232, Email: "ann@example.com", ID: 1, FirstName: "Ann", Source: "footer", CreatedAt: t3, UpdatedAt: t3, Revision: 3}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given the history, when the event is applied twice (a redelivery)
			db := projectiontest.Redelivered(t, tc.given, tc.when)
			// then the rows reflect it once
			var got []row
			if err := db.SelectContext(t.Context(), &got, `SELECT site_id, email, id, first_name, last_name, source, lists,
				created_at, updated_at, revision FROM newsletters ORDER BY email`); err != nil {
				t.Fatalf("select: %v", err)
			}
			if len(got) != len(tc.then) {
				t.Fatalf("rows = %+v, want %+v", got, tc.then)
			}
			for i := range got {
				got[i].CreatedAt, got[i].UpdatedAt = got[i].CreatedAt.UTC(), got[i].UpdatedAt.UTC()
				if got[i] != tc.then[i] {
					t.Fatalf("row %d = %+v, want %+v", i, got[i], tc.then[i])
				}
			}
		})
	}
}
