package projections

import (
	"context"
	"testing"

	"github.com/jmoiron/sqlx"
)

func TestRebuildPlansEveryStatementForItsValues(t *testing.T) {
	t.Parallel()
	const upsert = `INSERT INTO plan_probe AS t (stream, events) VALUES ($1, 1)
		ON CONFLICT (stream) DO UPDATE SET events = t.events + 1`
	// genericRuns counts, on the transaction's connection, the runs of upsert's prepared statement that
	// used a generic plan.
	genericRuns := func(ctx context.Context, tx *sqlx.Tx) (int, error) {
		var n int
		err := tx.GetContext(ctx, &n, `SELECT coalesce(sum(generic_plans), 0) FROM pg_prepared_statements
			WHERE statement = $1`, upsert)
		return n, err
	}
	cases := []struct {
		name    string
		project func(apply func(ctx context.Context, tx *sqlx.Tx, stream string) error) Projection
	}{
		{"through the handlers", func(apply func(context.Context, *sqlx.Tx, string) error) Projection {
			return Projection{Name: "plans.v1", Tables: []string{"plan_probe"}, Handlers: []Handler{
				On(func(ctx context.Context, tx *sqlx.Tx, ev Event[ticked]) error { return apply(ctx, tx, ev.Stream) }),
			}}
		}},
		{"through a Batch", func(apply func(context.Context, *sqlx.Tx, string) error) Projection {
			return Projection{Name: "plans.v1", Tables: []string{"plan_probe"},
				Handlers: []Handler{On(func(context.Context, *sqlx.Tx, Event[ticked]) error { return nil })},
				Batch: func(ctx context.Context, tx *sqlx.Tx, events []Event[any]) error {
					for _, ev := range events {
						if err := apply(ctx, tx, ev.Stream); err != nil {
							return err
						}
					}
					return nil
				}}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// given a projection whose statement runs prepared (internal/pg) far more than the five runs
			// after which PostgreSQL may switch a prepared statement to a generic plan
			env := newEnv(t, postgresBackend)
			env.exec(`CREATE TABLE plan_probe (stream text PRIMARY KEY, events int NOT NULL)`)
			env.ticks("a-1", 30)
			generic := 0
			projection := c.project(func(ctx context.Context, tx *sqlx.Tx, stream string) error {
				if _, err := tx.ExecContext(ctx, upsert, stream); err != nil {
					return err
				}
				n, err := genericRuns(ctx, tx)
				generic = max(generic, n)
				return err
			})

			// when it is rebuilt twice in small batches over the same connections
			cfg := Config{Store: env.store, DB: env.db, Registry: env.registry, RebuildBatchSize: 2}
			for range 2 {
				if _, err := Rebuild(testContext(t), cfg, projection); err != nil {
					t.Fatalf("Rebuild: %v", err)
				}
			}

			// then no run used a generic plan, and the rows are right
			if generic != 0 {
				t.Fatalf("%d runs of the rebuild's statement used a generic plan, want every one planned for its values", generic)
			}
			var events int
			if err := env.db.GetContext(testContext(t), &events, `SELECT events FROM plan_probe WHERE stream = 'a-1'`); err != nil || events != 30 {
				t.Fatalf("plan_probe holds %d events for a-1 (%v), want 30", events, err)
			}
		})
	}
}
