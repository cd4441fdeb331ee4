package main

import (
	"slices"

	"pgregory.net/rapid"

	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/pg"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest/migratedtest"
	"github.com/pelcro-oss/pelcro-api/operator"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// replayMatchesTheRebuilds is the last part of TestEveryAcceptedEventProjectsAndRebuilds' property: `pelcro
// replay`'s one pass over the log (operator.Replay into a fresh database, in pages of a drawn size, so that
// pages end anywhere in the scenario's mixed log) leaves, table by table, the digests that a rebuild of each
// projection on its own left in the live read models, at the positions those rebuilds reached.
func (w *propertyWorld) replayMatchesTheRebuilds(rebuilt []projections.Projection, reached []eventstore.Position) {
	ctx := w.t.Context()
	fresh, err := pg.Open(ctx, withPoolSize(w.t, migratedtest.NewDatabase(w.t), 3))
	if err != nil {
		w.t.Fatalf("open the replay's database: %v", err)
	}
	defer func() { _ = fresh.Close() }()
	into := w.config
	into.DB, into.RebuildBatchSize = fresh, rapid.IntRange(1, 64).Draw(w.t, "replay page size")
	replayed, err := operator.Replay(ctx, into, rebuilt)
	if err != nil {
		w.t.Fatalf("replay: %v", err)
	}
	for i, p := range rebuilt {
		live, err := operator.Digests(ctx, w.config, p)
		if err != nil {
			w.t.Fatal(err)
		}
		if !slices.Equal(replayed[i].Tables, live) || replayed[i].Position != reached[i].String() {
			w.t.Errorf("%s replayed in one pass at %s: %+v\nrebuilt on its own at %s: %+v", p.Name, replayed[i].Position,
				replayed[i].Tables, reached[i], live)
		}
	}
}
