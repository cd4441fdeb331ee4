package projections

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// defaultRebuildBatchSize is how many events one rebuild transaction applies by default: per-event
// transactions would cap the throughput of a replay of the whole log, and each batch costs a few round
// trips whatever its size (measured: 500 → 2,000 took the newsletters.v1 rebuild from 47,761 to 55,030
// events/s; 2,000 → 10,000 cut PostgreSQL's CPU time in a newsletters.v1 rebuild by about a quarter).
// Memory: a rebuild holds up to three pages (see prefetch), about 25 MiB of live heap per page of 10,000
// events of a few KiB (measured: two more pages took bench/rebuild's peak RSS from 184 to 235 MiB at
// GOGC=100), and the collector lets the heap reach up to three times the live one at the GOGC=200 of
// `pelcro projections rebuild`: the benchmark's peak RSS for a 200,000-event newsletters.v1 rebuild,
// its own copy of the rows included, is 270–276 MiB (178–179 MiB before, at GOGC=100). Warning: memory
// grows linearly with this size and with every page added to the pipeline.
const defaultRebuildBatchSize = 10_000

// ErrNotRebuildable is Rebuild's answer for a projection whose NoRebuild is set: its effects go beyond
// tables that could be recomputed.
var ErrNotRebuildable = errors.New("projections: this projection is never rebuilt")

// Rebuild recomputes p's read model from the whole log and swaps it in, while the running projection keeps
// serving (and updating) the current tables. It returns the position the swapped-in tables reflect.
//
// How: fresh copies of p.Tables (CREATE TABLE … (LIKE … INCLUDING ALL)) are made in a schema of their own
// ("rebuild_<name>"), and p's apply funcs run over history in batched transactions whose search_path puts
// that schema first, so they write there without knowing it. The swap is one transaction: it locks the
// checkpoint row (the running projection waits), applies the events the live tables received meanwhile,
// moves the live tables out and the fresh ones in, drops the old ones and leaves the checkpoint at the
// position both agree on. Readers see the old tables or the new ones, never a mix.
//
// Warning: apply funcs must name their tables unqualified (no schema prefix) for this to work; tables whose
// defaults use a serial's sequence, or that views or foreign keys depend on, must not be rebuilt this way
// (the old table and its sequence are dropped). Use identity columns.
func Rebuild(ctx context.Context, cfg Config, p Projection, options ...RebuildOption) (eventstore.Position, error) {
	var opts rebuildOptions
	for _, option := range options {
		option(&opts)
	}
	rb, err := newRebuild(ctx, cfg, p)
	if err != nil {
		return eventstore.Position{}, err
	}
	return rb.fillAndSwap(ctx, opts)
}

// newRebuild checks p and reads what the rebuild needs to know about the server.
func newRebuild(ctx context.Context, cfg Config, p Projection) (*rebuild, error) {
	dispatch, err := newDispatcher(p)
	if err != nil {
		return nil, err
	}
	if p.NoRebuild != "" {
		return nil, fmt.Errorf("%w: %s: %s", ErrNotRebuildable, p.Name, p.NoRebuild)
	}
	if len(p.Tables) == 0 {
		return nil, fmt.Errorf("projections: rebuild %s: the projection names no Tables", p.Name)
	}
	if cfg.RebuildBatchSize <= 0 {
		cfg.RebuildBatchSize = defaultRebuildBatchSize
	}
	rb := &rebuild{cfg: cfg, run: &projectionRun{name: p.Name, dispatch: dispatch, registry: cfg.Registry}, batch: p.batchForRebuild(),
		tables: p.Tables, fresh: "rebuild_" + strings.ReplaceAll(p.Name, ".", "_"), from: eventstore.AllStart()}
	if err := cfg.DB.GetContext(ctx, &rb.live, `SELECT current_schema()`); err != nil {
		return nil, fmt.Errorf("projections: rebuild %s: %w", p.Name, err)
	}
	return rb, nil
}

// fillAndSwap fills fresh tables from the whole log and swaps them in.
func (rb *rebuild) fillAndSwap(ctx context.Context, opts rebuildOptions) (eventstore.Position, error) {
	if err := rb.createFreshTables(ctx); err != nil {
		return eventstore.Position{}, err
	}
	if err := rb.catchUp(ctx, opts); err != nil {
		return eventstore.Position{}, rb.pinpoint(ctx, err)
	}
	target, err := rb.swap(ctx)
	return target, rb.pinpoint(ctx, err)
}

// rebuild is one Rebuild in progress. from is the last event applied to the fresh tables.
type rebuild struct {
	cfg    Config
	run    *projectionRun
	batch  BatchFunc // nil: the events go through the handlers one by one
	tables []string
	live   string // the schema serving reads
	fresh  string // the schema the rebuild writes into
	from   eventstore.AllFrom
}

// createFreshTables (re)creates the fresh schema with empty copies of the live tables, and the row that
// records how far they are (see recordProgress).
func (rb *rebuild) createFreshTables(ctx context.Context) error {
	statements := []string{
		`DROP SCHEMA IF EXISTS ` + pq.QuoteIdentifier(rb.fresh) + ` CASCADE`,
		`CREATE SCHEMA ` + pq.QuoteIdentifier(rb.fresh),
		`CREATE TABLE ` + rb.qualified(rb.fresh, progressTable) + ` (applied_through text NOT NULL)`,
		`INSERT INTO ` + rb.qualified(rb.fresh, progressTable) + ` VALUES ('')`,
	}
	for _, t := range rb.tables {
		statements = append(statements, fmt.Sprintf(`CREATE TABLE %s (LIKE %s INCLUDING ALL)`,
			rb.qualified(rb.fresh, t), rb.qualified(rb.live, t)))
	}
	return rb.exec(ctx, rb.cfg.DB, statements)
}

// swap runs swapOnce until it gets its locks. Readers are never the ones to give way: a query joining two
// live tables can hold one while waiting for another that the swap already took, and PostgreSQL would
// resolve that deadlock by failing whichever waited longer — possibly a request. The swap's lock timeout
// is far below deadlock_timeout, so it always backs off first.
func (rb *rebuild) swap(ctx context.Context) (eventstore.Position, error) {
	for wait := swapRetryPause; ; wait = min(2*wait, maxSwapRetryPause) {
		target, err := rb.swapOnce(ctx)
		var pqErr *pq.Error
		if !errors.As(err, &pqErr) || pqErr.Code != lockNotAvailable {
			return target, err
		}
		select {
		case <-ctx.Done():
			return eventstore.Position{}, ctx.Err()
		case <-time.After(wait):
		}
	}
}

// Lock handling of the swap; see swap.
const (
	swapLockTimeout   = "200ms"
	lockNotAvailable  = "55P03"
	swapRetryPause    = 10 * time.Millisecond
	maxSwapRetryPause = time.Second
)

// swapOnce catches the fresh tables up with the live checkpoint and exchanges them with the live ones, all
// in one transaction that holds the checkpoint row and, taken all at once, every live table.
func (rb *rebuild) swapOnce(ctx context.Context) (eventstore.Position, error) {
	var target eventstore.Position
	_, err := rb.inFreshTx(ctx, func(tx *sqlx.Tx) (int, error) {
		checkpoint, ok, err := readCheckpoint(ctx, tx, rb.run.name, true)
		if err != nil {
			return 0, err
		}
		if err := rb.recordProgress(ctx, tx, rb.from); err != nil {
			return 0, err
		}
		if err := rb.exec(ctx, tx, []string{`SET LOCAL lock_timeout = '` + swapLockTimeout + `'`, rb.lockLiveTables()}); err != nil {
			return 0, err
		}
		for ok {
			n, err := rb.applyPage(ctx, tx, rb.readPage(ctx, rb.from, &checkpoint))
			if err != nil {
				return 0, err
			}
			if n < rb.cfg.RebuildBatchSize {
				break
			}
		}
		target, ok = rb.from.Position()
		if !ok {
			return 0, errors.New("projections: rebuild: the log is empty, nothing to swap in")
		}
		advanced, err := advanceCheckpoint(ctx, tx, rb.run.name, target)
		if err != nil {
			return 0, err
		}
		if !advanced { // only a first checkpoint, inserted meanwhile by the running projection, is not locked
			current, _, err := readCheckpoint(ctx, tx, rb.run.name, false)
			if err != nil {
				return 0, err
			}
			if current != target {
				return 0, fmt.Errorf("projections: rebuild %s: the checkpoint moved to %s during the swap; rebuild again",
					rb.run.name, current)
			}
		}
		return 0, rb.exec(ctx, tx, rb.swapStatements())
	})
	return target, err
}

// lockLiveTables takes every live table in one statement, so the renames that follow wait for nothing.
func (rb *rebuild) lockLiveTables() string {
	names := make([]string, len(rb.tables))
	for i, t := range rb.tables {
		names[i] = rb.qualified(rb.live, t)
	}
	return `LOCK TABLE ` + strings.Join(names, ", ") + ` IN ACCESS EXCLUSIVE MODE`
}

// swapStatements move the live tables into a retired schema, the fresh ones into the live schema, and drop
// the retired tables and both helper schemas.
func (rb *rebuild) swapStatements() []string {
	retired := "retired_" + strings.TrimPrefix(rb.fresh, "rebuild_")
	statements := []string{`DROP SCHEMA IF EXISTS ` + pq.QuoteIdentifier(retired) + ` CASCADE`, `CREATE SCHEMA ` + pq.QuoteIdentifier(retired)}
	for _, t := range rb.tables {
		statements = append(statements,
			`ALTER TABLE `+rb.qualified(rb.live, t)+` SET SCHEMA `+pq.QuoteIdentifier(retired),
			`ALTER TABLE `+rb.qualified(rb.fresh, t)+` SET SCHEMA `+pq.QuoteIdentifier(rb.live))
	}
	return append(statements, `DROP SCHEMA `+pq.QuoteIdentifier(retired)+` CASCADE`,
		`DROP TABLE `+rb.qualified(rb.fresh, progressTable), `DROP SCHEMA `+pq.QuoteIdentifier(rb.fresh))
}

func (rb *rebuild) qualified(schema, table string) string {
	return pq.QuoteIdentifier(schema) + "." + pq.QuoteIdentifier(table)
}

func (rb *rebuild) exec(ctx context.Context, db sqlx.ExecerContext, statements []string) error {
	for _, s := range statements {
		if _, err := db.ExecContext(ctx, s); err != nil {
			return fmt.Errorf("projections: rebuild %s: %s: %w", rb.run.name, s, err)
		}
	}
	return nil
}
