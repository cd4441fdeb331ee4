package projections

import (
	"context"
	"errors"
	"strings"
	"testing"

	"github.com/jmoiron/sqlx"
)

func TestARebuildThatFailsOnAnEventNamesIt(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		batch bool
	}{
		{"event by event", false},
		{"in batches, the failing batch narrowed to its event", true},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			env := newEnv(t, postgresBackend)
			counts := poisoned("poisoned.v1", "poisoned_counts")
			counts.create(env)
			projection := counts.projection()
			projection.Tables = []string{counts.table}
			if c.batch {
				projection.Batch = failingBatch
			}
			// given a log with one event the projection cannot apply, in the middle of a batch
			env.ticks("a-1", 2)
			env.ticks("poison-1", 1)
			env.ticks("a-1", 2)
			poison := env.poisonEvent()

			// when the projection is rebuilt
			cfg := Config{Store: env.store, DB: env.db, Registry: env.registry, RebuildBatchSize: 3}
			_, err := Rebuild(testContext(t), cfg, projection)

			// then the failure names the event (position, stream, revision, type, id) and says why
			var eventErr *EventError
			if !errors.As(err, &eventErr) || eventErr.Event != poison || eventErr.Projection != counts.name {
				t.Fatalf("Rebuild = %v, want an EventError on %+v", err, poison)
			}
			for _, fact := range []string{poison.Position.String(), "poison-1", "revision 0", "test.ticked", poison.ID.String(), errInjected.Error()} {
				if !strings.Contains(err.Error(), fact) {
					t.Errorf("error %q does not say %q", err, fact)
				}
			}
		})
	}
}

// failingBatch is a Batch that fails as a whole when any event of it is on the stream "poison-1".
func failingBatch(_ context.Context, _ *sqlx.Tx, events []Event[any]) error {
	for _, e := range events {
		if e.Stream == "poison-1" {
			return errors.New("the batch failed")
		}
	}
	return nil
}
