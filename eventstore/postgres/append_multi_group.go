package postgres

import (
	"context"
	"slices"
	"sync"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// maxGroupedCallers bounds how many AppendMulti calls one shared statement carries, so that one statement
// (and the rows it inserts and returns) stays small; callers past it wait for the next one.
const maxGroupedCallers = 32

// defaultLeadPatience is how long a shared statement keeps the lead before the queue behind it elects
// another leader (appendGroup.patience). A shared statement takes about a millisecond; one that takes far
// longer waits on a lock (a rival transaction holding a revision of one of its streams), and the callers
// queued behind it, most of them on other streams, must not wait for that rival.
const defaultLeadPatience = 20 * time.Millisecond

// appendGroup shares one statement, hence one commit, between the multi-stream appends that run at the same
// moment (group commit). A commit's fixed cost (executor start, one WAL flush, a round trip) dwarfs a
// two-event append's bytes: the billing run's 16 workers each record "invoice paid + subscription paid"
// after their charge, and concurrent ones can go together.
//
// It is a leader/follower queue: a call that finds no shared statement in flight runs its own at once
// (nothing waits when the store is idle); calls that arrive meanwhile queue, and when the statement in
// flight ends, or has run for patience, the first of them leads the queue's next statement, for up to
// maxGroupedCallers of them. So the group grows only with the load, and a statement stuck on a lock holds
// the queue for patience at most (each stuck statement holds a connection, as it would alone).
//
// A shared statement is all or nothing, like each caller's own (insertMultiAfterQuery). When it writes
// nothing or fails (a caller's guard that does not hold, a lost race, two callers naming one stream, every
// caller's context ending), every caller tries its own statement alone, under its own context: each gets
// the answer it would have had without the group (wrong expected version, a retry recognised as a
// duplicate, success). When a shared statement landed but its answer was lost, every caller, alone, finds
// its events where it expected them and is answered as for a retry.
//
// Contexts: a queued caller whose context ends leaves the queue with its context's error and writes
// nothing; one whose context has ended when its group is taken is left out of it. Once a statement runs, it
// runs until every caller in it has given up (groupContext): a caller whose context ends then may see its
// events land, and is answered that they did.
//
// Warning: callers are grouped only when every part of theirs takes the one-statement path (it expects no
// stream or an exact revision, and has events): an Any part needs pelcro_append's lock and would send the
// whole group back to running alone. The zero value is ready to use.
type appendGroup struct {
	mu       sync.Mutex
	waiting  []*groupedAppend
	leading  bool          // a shared statement holds the lead, or its leader is about to take the queue
	patience time.Duration // 0: defaultLeadPatience
}

// groupedAppend is one caller's AppendMulti in the queue and, once woken, its answer.
type groupedAppend struct {
	ctx      context.Context
	appends  []eventstore.StreamAppend
	woken    chan struct{}
	leads    bool // woken to lead the queue's next statement
	alone    bool // the shared statement did not write: run the caller's own
	results  []eventstore.AppendResult
	inserted bool
	err      error
}

// appendMultiInOneGrouped is appendMultiInOne, shared with the concurrent callers (appendGroup).
func (s *Store) appendMultiInOneGrouped(ctx context.Context, appends []eventstore.StreamAppend) (
	[]eventstore.AppendResult, bool, error) {
	if !oneStatementParts(appends) {
		return s.appendMultiInOne(ctx, appends)
	}
	me := &groupedAppend{ctx: ctx, appends: appends, woken: make(chan struct{})}
	g := &s.group
	g.mu.Lock()
	g.waiting = append(g.waiting, me)
	leader := !g.leading
	g.leading = true
	g.mu.Unlock()
	if !leader {
		if err := g.await(me); err != nil {
			return nil, false, err
		}
	}
	if leader || me.leads {
		s.leadGroup()
	}
	if me.alone {
		return s.appendMultiInOne(ctx, appends)
	}
	return me.results, me.inserted, me.err
}

// await waits until a queued caller is woken, or answers its context's error when that ends first while
// it is still in the queue (and not chosen to lead it). A caller already taken into a group waits for it.
func (g *appendGroup) await(me *groupedAppend) error {
	select {
	case <-me.woken:
		return nil
	case <-me.ctx.Done():
	}
	g.mu.Lock()
	if i := slices.Index(g.waiting, me); i >= 0 && !me.leads {
		g.waiting = slices.Delete(g.waiting, i, i+1)
		g.mu.Unlock()
		return me.ctx.Err()
	}
	g.mu.Unlock()
	<-me.woken
	return nil
}
