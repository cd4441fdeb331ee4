package postgres

import (
	"context"
	"sync"
	"sync/atomic"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// leadGroup takes the queue's first callers (the leader among them), runs their shared statement, answers
// them, and hands the lead to the first caller still waiting, if any: when the statement ends, or earlier
// once it has run for the group's patience. The hand-off and the answers are deferred, so that a panic in
// between cannot leave the queue without a leader or a caller waiting forever (an unanswered caller runs
// its own statement: inserted false).
func (s *Store) leadGroup() {
	g := &s.group
	g.mu.Lock()
	n := min(len(g.waiting), maxGroupedCallers)
	taken := g.waiting[:n:n]
	g.waiting = g.waiting[n:]
	g.mu.Unlock()

	var handOff sync.Once
	passLead := func() { handOff.Do(g.passLead) }
	patience := g.patience
	if patience == 0 {
		patience = defaultLeadPatience
	}
	timer := time.AfterFunc(patience, passLead)
	defer func() {
		timer.Stop()
		passLead()
		for _, member := range taken {
			select {
			case <-member.woken: // woken already, to lead this statement
			default:
				close(member.woken)
			}
		}
	}()
	var batch []*groupedAppend
	for _, member := range taken {
		if err := member.ctx.Err(); err != nil {
			member.err = err // gave up before its group ran: left out, nothing written
			continue
		}
		batch = append(batch, member)
	}
	switch len(batch) {
	case 0:
	case 1: // alone in its group: its own statement, under its own context
		batch[0].results, batch[0].inserted, batch[0].err = s.appendMultiInOne(batch[0].ctx, batch[0].appends)
	default:
		ctx, cancel := groupContext(batch)
		defer cancel()
		s.runShared(ctx, batch)
	}
}

// passLead wakes the first caller still waiting to lead the next statement, or leaves the group without a
// leader when none waits.
func (g *appendGroup) passLead() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if len(g.waiting) == 0 {
		g.leading = false
		return
	}
	next := g.waiting[0]
	next.leads = true
	close(next.woken)
}

// groupContext is the context of a shared statement: it carries the first member's values and ends when
// every member's context has ended, so no caller still waiting for the statement sees it cancelled by
// another's deadline, and a statement nobody waits for any longer stops.
func groupContext(batch []*groupedAppend) (context.Context, context.CancelFunc) {
	ctx, cancel := context.WithCancel(context.WithoutCancel(batch[0].ctx))
	live := atomic.Int32{}
	live.Store(int32(len(batch)))
	stops := make([]func() bool, 0, len(batch))
	for _, member := range batch {
		stops = append(stops, context.AfterFunc(member.ctx, func() {
			if live.Add(-1) == 0 {
				cancel()
			}
		}))
	}
	return ctx, func() {
		for _, stop := range stops {
			stop()
		}
		cancel()
	}
}

// runShared appends the parts of every member (two or more) in one statement and gives each member its
// part of the results; when that statement does not write, every member is marked to run alone.
func (s *Store) runShared(ctx context.Context, batch []*groupedAppend) {
	var all []eventstore.StreamAppend
	for _, member := range batch {
		all = append(all, member.appends...)
	}
	var results []eventstore.AppendResult
	inserted := false
	if eventstore.DistinctStreams(all) == nil {
		results, inserted, _ = s.appendMultiInOne(ctx, all) // inserted is never true with an error
	}
	for _, member := range batch {
		if !inserted {
			member.alone = true
			continue
		}
		member.results, member.inserted = results[:len(member.appends):len(member.appends)], true
		results = results[len(member.appends):]
	}
}

// oneStatementParts reports whether every part can take insertMultiAfterQuery: it has events and expects no
// stream or an exact revision.
func oneStatementParts(appends []eventstore.StreamAppend) bool {
	for _, a := range appends {
		code, err := expectedCode(a.Expected)
		if err != nil || len(a.Events) == 0 || (code < 0 && code != expectedNoStreamCode) {
			return false
		}
	}
	return true
}
