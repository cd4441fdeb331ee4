package operator

import (
	"context"
	"fmt"
	"runtime/debug"
	"sync"

	"golang.org/x/sync/errgroup"

	"github.com/pelcro-oss/pelcro-api/projections"
)

// Replayed is one read model rebuilt by Replay: the position its tables reflect and their digests.
type Replayed struct {
	Projection string   `json:"projection"`
	Position   string   `json:"position"`
	Tables     []Digest `json:"tables"`
}

// Replay rebuilds every projection of ps from the whole log into cfg.DB, which must hold the read-model schema
// (a fresh database migrated for it), in one pass over the log (projections.RebuildAll), and returns for each
// the position its tables reflect and their digests: run against two databases, equal digests mean equal read
// models. options pass through (progress, counted in events read from the log).
//
// While it runs, the garbage collector lets the heap grow further between collections (replayGCPercent).
// Warning: that setting is the whole process's; Replay is for a process of its own (`pelcro replay`), never
// for one that serves requests. Replays that overlap (tests) share the raised target until the last ends.
func Replay(ctx context.Context, cfg projections.Config, ps []projections.Projection, options ...projections.RebuildOption) ([]Replayed, error) {
	defer raiseGCDuringReplay()()
	at, err := projections.RebuildAll(ctx, cfg, ps, options...)
	if err != nil {
		return nil, fmt.Errorf("replay: %w", err)
	}
	out := make([]Replayed, len(ps))
	for i, p := range ps {
		out[i] = Replayed{Projection: p.Name, Position: at[i].String(), Tables: make([]Digest, len(p.Tables))}
	}
	schema, err := currentSchema(ctx, cfg)
	if err != nil {
		return nil, err
	}
	// Each digest sorts its table's row hashes on a backend of its own: one after the other, the biggest
	// tables' sorts left every core but one idle at the end of a replay.
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(digestsAtOnce)
	for i, p := range ps {
		for j, table := range p.Tables {
			g.Go(func() (err error) {
				out[i].Tables[j], err = digestOf(gctx, cfg.DB, schema, table)
				return err
			})
		}
	}
	return out, g.Wait()
}

// digestsAtOnce bounds the connections Replay's digests hold at once.
const digestsAtOnce = 4

// Digests returns the digests of p's tables in cfg.DB's current schema, for comparing a replay with the read
// models in service.
func Digests(ctx context.Context, cfg projections.Config, p projections.Projection) ([]Digest, error) {
	schema, err := currentSchema(ctx, cfg)
	if err != nil {
		return nil, err
	}
	var out []Digest
	for _, table := range p.Tables {
		d, err := digestOf(ctx, cfg.DB, schema, table)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

// currentSchema is the schema cfg.DB's unqualified table names resolve to, where the digests are taken.
func currentSchema(ctx context.Context, cfg projections.Config) (string, error) {
	var schema string
	if err := cfg.DB.GetContext(ctx, &schema, `SELECT current_schema()`); err != nil {
		return "", fmt.Errorf("operator: digests: %w", err)
	}
	return schema, nil
}

// replayGCPercent is the garbage collector's target (GOGC) during a replay. A replay allocates a few KiB per
// event it reads (rows, decoded payloads, batches) while it holds only a few pages of them: with the default
// target (100) the collector ran every few pages and took a sixth of the replay's Go CPU; at 400 it takes a
// quarter of that, for a heap up to five times the pages in flight (a few hundred MiB with 10,000-event
// pages). GOMEMLIMIT, when set, still bounds it.
const replayGCPercent = 400

// raiseGCPercent sets the collector's target to at least percent and returns the one it replaced; a target
// already higher, or collection turned off (GOGC=off), is left as it is.
func raiseGCPercent(percent int) int {
	old := debug.SetGCPercent(percent)
	if old < 0 || old > percent {
		debug.SetGCPercent(old)
	}
	return old
}

// restoreGCPercent puts back the target raiseGCPercent replaced.
func restoreGCPercent(old int) { debug.SetGCPercent(old) }

// replayGC counts the replays running in this process: the first raises the target, the last to end puts
// back what the first found. Without the count, of two overlapping replays the first to end would lower
// the target under the other, and the other would then "restore" the raised one for good.
var replayGC struct {
	sync.Mutex
	running  int
	replaced int
}

// raiseGCDuringReplay raises the target for a replay and returns what ends it.
func raiseGCDuringReplay() (end func()) {
	replayGC.Lock()
	defer replayGC.Unlock()
	if replayGC.running == 0 {
		replayGC.replaced = raiseGCPercent(replayGCPercent)
	}
	replayGC.running++
	return func() {
		replayGC.Lock()
		defer replayGC.Unlock()
		replayGC.running--
		if replayGC.running == 0 {
			restoreGCPercent(replayGC.replaced)
		}
	}
}
