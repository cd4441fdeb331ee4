package projections

import (
	"context"
	"fmt"
	"maps"
	"testing"

	"github.com/jmoiron/sqlx"
)

// counting is the test-only projection: it counts test.ticked events per stream into its own table.
type counting struct {
	name  string
	table string
	// guarded rows carry the revision they reflect, so re-applying an older event is a no-op even when the
	// checkpoint was reset; unguarded rows count every apply, which exposes any duplicate the checkpoint
	// guard lets through.
	guarded bool
	// fail, when set, runs after the row was written, inside the transaction; its error rolls it back.
	fail func(ev Event[ticked]) error
}

func (c *counting) create(e *testEnv) {
	e.exec(fmt.Sprintf(`CREATE TABLE %s (stream text PRIMARY KEY, events int NOT NULL, revision bigint NOT NULL)`, c.table))
}

func (c *counting) projection() Projection {
	upsert := fmt.Sprintf(`INSERT INTO %[1]s AS t (stream, events, revision) VALUES ($1, 1, $2)
		ON CONFLICT (stream) DO UPDATE SET events = t.events + 1, revision = EXCLUDED.revision`, c.table)
	if c.guarded {
		upsert += ` WHERE t.revision < EXCLUDED.revision`
	}
	return Projection{Name: c.name, Handlers: []Handler{
		On(func(ctx context.Context, tx *sqlx.Tx, ev Event[ticked]) error {
			if _, err := tx.ExecContext(ctx, upsert, ev.Stream, ev.Revision); err != nil {
				return err
			}
			if c.fail != nil {
				return c.fail(ev)
			}
			return nil
		}),
	}}
}

// rows returns the table as stream → count.
func (c *counting) rows(e *testEnv) map[string]int {
	e.t.Helper()
	var rows []struct {
		Stream string `db:"stream"`
		Events int    `db:"events"`
	}
	if err := e.db.SelectContext(testContext(e.t), &rows, `SELECT stream, events FROM `+c.table); err != nil {
		e.t.Fatalf("read %s: %v", c.table, err)
	}
	counts := map[string]int{}
	for _, r := range rows {
		counts[r.Stream] = r.Events
	}
	return counts
}

// expectRows fails the test unless the table holds exactly want.
func (c *counting) expectRows(t *testing.T, e *testEnv, want map[string]int) {
	t.Helper()
	if got := c.rows(e); !maps.Equal(got, want) {
		t.Fatalf("%s rows = %v, want %v", c.table, got, want)
	}
}
