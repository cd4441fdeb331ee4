package queries_test

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/pg"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest/migratedtest"
	"github.com/pelcro-oss/pelcro-api/queries"
)

func TestNewsletterQuery(t *testing.T) {
	t.Parallel()
	// given one entry in the read model
	db, err := pg.Open(t.Context(), migratedtest.NewDatabase(t))
	if err != nil {
		t.Fatalf("open database: %v", err)
	}
	t.Cleanup(func() { _ = db.Close() })
	if _, err := db.ExecContext(t.Context(), `INSERT INTO newsletters VALUES (1232, 'ann@example.com', 7, 'Ann', 'Lee',
		'H2X', 'web', 'daily', 'https://x.test/c', 'I agree', 'explicit', '10.0.0.1',
		'2025-03-01T09:00:00Z', '2025-03-02T09:00:00Z', 1, 'newsletter-0123')`); err != nil {
		t.Fatalf("insert: %v", err)
	}
	n := queries.NewNewsletters(db)

	// when it is read, then every resource field comes back, times as Unix seconds
	got, found, err := n.Newsletter(t.Context(), 1232, "ann@example.com")
	want := queries.Newsletter{ID: 7, Email: "ann@example.com", FirstName: "Ann", LastName: "Lee", Source: "web",
		Lists: "daily", PostalCode: "H2X", ConsentURL: "https://x.test/c", ConsentIP: "10.0.0.1", ConsentText: "I agree",
		ConsentType: "explicit", CreatedAt: 1740819600, UpdatedAt: 1740906000}
	if err != nil || !found || got != want {
		t.Fatalf("Newsletter = %+v, %v, %v; want %+v", got, found, err, want)
	}
	// when another site or email is asked for, then there is none
	for _, q := range []struct {
		site  int64
		email string
	}{{77, "ann@example.com"}, {1232, "bob@example.com"}, {1232, "ann\x00@example.com"}, {1232, "ann\xff@example.com"}} {
		if _, found, err := n.Newsletter(t.Context(), q.site, q.email); found || err != nil {
			t.Fatalf("Newsletter(%d, %s) = %v, %v; want not found", q.site, q.email, found, err)
		}
	}
}
