package projections

import (
	"context"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// RebuildAll is Rebuild for many projections in one pass over the log, for replaying every read model at
// once: one Rebuild per projection would read and decode the whole log once each, and a projection that
// handles a few catalog events would pay a whole pass for them. Each event is read once, decoded once when
// some projection handles its type (never otherwise) and handed to each projection that does.
//
// Every projection keeps what Rebuild gives it: its own fresh tables, transactions of a page's events through
// its Batch (or handlers), progress row, checkpoint and swap, so the tables it ends with are the ones Rebuild
// would leave. The swaps happen one after the other once the pass is over. It returns the position each
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
	for i, p := range ps {
		rb, err := newRebuild(ctx, cfg, p)
		if err != nil {
			return nil, err
		}
		if err := rb.createFreshTables(ctx); err != nil {
			return nil, err
		}
		rbs[i] = rb
	}
	if err := onePass(ctx, newPassReader(cfg, rbs), rbs, opts); err != nil {
		return nil, err
	}
	at := make([]eventstore.Position, len(rbs))
	for i, rb := range rbs {
		target, err := rb.swap(ctx)
		if err = rb.pinpoint(ctx, err); err != nil {
			return nil, err
		}
		at[i] = target
	}
	return at, nil
}

// onePass applies the whole log as it is now to every rebuild's fresh tables, page after page, the next
// page read and sorted out while the one before is applied. A projection commits a page only when it
// handles some of its events, and the last page always, so each one's progress ends at the end of the log.
func onePass(ctx context.Context, reader *passReader, rbs []*rebuild, opts rebuildOptions) error {
	ctx, stopReading := context.WithCancel(ctx)
	defer stopReading()
	read := func(from eventstore.AllFrom) passPage { return reader.readPage(ctx, from) }
	pages := prefetch(ctx, eventstore.AllStart(), read, reader.nextPage)
	var end eventstore.Position
	for total := 0; ; {
		p, ok := <-pages
		if !ok {
			return ctx.Err() // only an ended ctx closes the channel before a short page
		}
		if p.err != nil {
			return p.err
		}
		if p.read > 0 {
			end = p.last
		}
		last := p.read < reader.cfg.RebuildBatchSize
		for i, rb := range rbs {
			behind := total+p.read > 0 && rb.from != eventstore.AllAfter(end)
			if len(p.steps[i]) == 0 && !(last && behind) {
				continue
			}
			if err := rb.commitPage(ctx, p.steps[i], end); err != nil {
				return rb.pinpoint(ctx, err)
			}
		}
		total += p.read
		if opts.onProgress != nil && total > 0 {
			opts.onProgress(total, end)
		}
		if last {
			return nil
		}
	}
}
