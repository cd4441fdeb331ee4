package projections

import (
	"context"

	"golang.org/x/sync/errgroup"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// RebuildAll is Rebuild for many projections in one pass over the log, for replaying every read model at
// once: one Rebuild per projection would read and decode the whole log once each, and a projection that
// handles a few catalog events would pay a whole pass for them. Each event is read once, decoded once when
// some projection handles its type (never otherwise) and handed to each projection that does.
//
// Every projection keeps what Rebuild gives it: its own fresh tables, transactions of a page's events through
// its Batch (or handlers), progress row, checkpoint and swap, so the tables it ends with are the ones Rebuild
// would leave. The swaps happen once the pass is over, side by side. It returns the position each
// projection's tables reflect, in the order of ps. options pass through; progress counts the events read.
func RebuildAll(ctx context.Context, cfg Config, ps []Projection, options ...RebuildOption) ([]eventstore.Position, error) {
	var opts rebuildOptions
	for _, option := range options {
		option(&opts)
	}
	if cfg.RebuildBatchSize <= 0 {
		cfg.RebuildBatchSize = defaultRebuildBatchSize
	}
	rbs := make([]*rebuild, len(ps))
	err := eachAtOnce(ctx, rbs, func(ctx context.Context, i int, _ *rebuild) (err error) {
		if rbs[i], err = newRebuild(ctx, cfg, ps[i]); err != nil {
			return err
		}
		return rbs[i].createFreshTables(ctx)
	})
	if err != nil {
		return nil, err
	}
	if err := onePass(ctx, newPassReader(cfg, rbs), rbs, opts); err != nil {
		return nil, err
	}
	at := make([]eventstore.Position, len(rbs))
	err = eachAtOnce(ctx, rbs, func(ctx context.Context, i int, rb *rebuild) (err error) {
		at[i], err = rb.swap(ctx)
		return rb.pinpoint(ctx, err)
	})
	if err != nil {
		return nil, err
	}
	return at, nil
}

// eachAtOnce runs fn for every rebuild, each on a goroutine of its own, and returns the first failure (the
// others' ctx then ends). The projections' setup and swaps touch nothing of each other's: one after the
// other, their DDL round trips at each end of a replay left a core idle.
func eachAtOnce(ctx context.Context, rbs []*rebuild, fn func(ctx context.Context, i int, rb *rebuild) error) error {
	g, ctx := errgroup.WithContext(ctx)
	for i, rb := range rbs {
		g.Go(func() error { return fn(ctx, i, rb) })
	}
	return g.Wait()
}

// share is one page's events for one projection: those it handles (maybe none), the position the page ends at,
// and whether it is the last page of the pass.
type share struct {
	steps   []step
	through eventstore.Position
	last    bool
}

// onePass applies the whole log as it is now to every rebuild's fresh tables. One goroutine reads the log
// and deals each page out; each projection applies its shares on a goroutine of its own, a few pages behind
// the reader at most, so a projection's round trips to PostgreSQL overlap the others' and the reading, and
// one with little to do is never held up by a busy one. The first failure stops the pass.
func onePass(ctx context.Context, reader *passReader, rbs []*rebuild, opts rebuildOptions) error {
	g, ctx := errgroup.WithContext(ctx)
	inboxes := make([]chan share, len(rbs))
	for i, rb := range rbs {
		inboxes[i] = make(chan share, sharesAhead)
		g.Go(func() error { return rb.applyShares(ctx, inboxes[i]) })
	}
	g.Go(func() error {
		defer func() {
			for _, inbox := range inboxes {
				close(inbox)
			}
		}()
		return reader.deal(ctx, inboxes, opts)
	})
	return g.Wait()
}

// sharesAhead is how many pages the reader may be ahead of a projection: enough to keep reading while the
// slowest one commits, few enough to bound the memory (a page holds up to RebuildBatchSize decoded events).
const sharesAhead = 2

// deal reads the log page by page (readAhead) and sends each projection its share of every page, in log
// order.
func (r *passReader) deal(ctx context.Context, inboxes []chan share, opts rebuildOptions) error {
	total := 0
	var end eventstore.Position
	for raw := range r.readAhead(ctx, eventstore.AllStart()) {
		if raw.err != nil {
			return raw.err
		}
		p := r.sortOut(raw.events)
		if p.err != nil {
			return p.err
		}
		if p.read > 0 {
			end = p.last
		}
		last := p.read < r.cfg.RebuildBatchSize && total+p.read > 0
		for i, inbox := range inboxes {
			select {
			case inbox <- share{steps: p.steps[i], through: end, last: last}:
			case <-ctx.Done():
				return ctx.Err()
			}
		}
		total += p.read
		if opts.onProgress != nil && total > 0 {
			opts.onProgress(total, end)
		}
	}
	return ctx.Err() // only an ended ctx closes the channel before a short page
}

// applyShares commits the shares of one projection as they come: a share it has events in, and the last
// one when its progress is behind the end of the log (so that it ends there).
func (rb *rebuild) applyShares(ctx context.Context, inbox <-chan share) error {
	for s := range inbox {
		if err := ctx.Err(); err != nil {
			return err
		}
		if len(s.steps) == 0 && !(s.last && rb.from != eventstore.AllAfter(s.through)) {
			continue
		}
		if err := rb.commitPage(ctx, s.steps, s.through); err != nil {
			return rb.pinpoint(ctx, err)
		}
	}
	return nil
}
