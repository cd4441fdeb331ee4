package postgres

import (
	"context"
	"sync"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// maxGroupedCallers bounds how many AppendMulti calls one shared statement carries, so that one statement
// (and the rows it inserts and returns) stays small; callers past it wait for the next one.
const maxGroupedCallers = 32

// appendGroup shares one statement, hence one commit, between the multi-stream appends that run at the same
// moment (group commit). A commit's fixed cost (executor start, one WAL flush, a round trip) dwarfs a
// two-event append's bytes: the billing run's 16 workers each record "invoice paid + subscription paid"
// after their charge, and concurrent ones can go together.
//
// It is a leader/follower queue: a call that finds no shared statement in flight runs its own at once
// (nothing waits when the store is idle); calls that arrive meanwhile queue, and when the statement in
// flight ends, the first of them leads the queue's next statement, for all of them. So a caller waits at
// most for the statement in flight, and the group grows only with the load.
//
// A shared statement is all or nothing, like each caller's own (insertMultiAfterQuery). When it writes
// nothing or fails (a caller's guard that does not hold, a lost race, two callers naming one stream, the
// leader's context ending), every caller tries its own statement alone, under its own context: each gets
// the answer it would have had without the group (wrong expected version, a retry recognised as a
// duplicate, success). A caller whose shared statement landed but whose answer was lost sees an error, as
// alone, and its retry finds its events where it expected them.
//
// Warning: callers are grouped only when every part of theirs takes the one-statement path (it expects no
// stream or an exact revision, and has events): an Any part needs pelcro_append's lock and would send the
// whole group back to running alone. A queued caller waits for the statement in flight whatever its own
// context says, and a shared statement runs under its leader's context only: a caller whose context ended
// meanwhile may see its events land, and is then answered that they did. A statement that waits on a lock
// (a rival's uncommitted revision of the same stream) holds up the queue behind it, as a pool short of
// connections would. The zero value is ready to use.
type appendGroup struct {
	mu      sync.Mutex
	waiting []*groupedAppend
	leading bool // a shared statement is in flight, or its leader is about to take the queue
}

// groupedAppend is one caller's AppendMulti in the queue and, once woken, its answer.
type groupedAppend struct {
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
	me := &groupedAppend{appends: appends, woken: make(chan struct{})}
	g := &s.group
	g.mu.Lock()
	g.waiting = append(g.waiting, me)
	leader := !g.leading
	g.leading = true
	g.mu.Unlock()
	if !leader {
		<-me.woken
	}
	if leader || me.leads {
		s.leadGroup(ctx)
	}
	if me.alone {
		return s.appendMultiInOne(ctx, appends)
	}
	return me.results, me.inserted, me.err
}

// leadGroup takes the queue's first callers (the leader among them), runs their shared statement, answers
// them, and hands the lead to the first caller still waiting, if any.
func (s *Store) leadGroup(ctx context.Context) {
	g := &s.group
	g.mu.Lock()
	n := min(len(g.waiting), maxGroupedCallers)
	batch := g.waiting[:n:n]
	g.waiting = g.waiting[n:]
	g.mu.Unlock()

	s.runShared(ctx, batch)

	g.mu.Lock()
	if len(g.waiting) > 0 {
		next := g.waiting[0]
		next.leads = true
		close(next.woken)
	} else {
		g.leading = false
	}
	g.mu.Unlock()
	for _, member := range batch {
		select {
		case <-member.woken: // woken already, to lead this statement
		default:
			close(member.woken)
		}
	}
}

// runShared appends every member's parts in one statement and gives each member its part of the results;
// when that statement does not write, every member is marked to run alone. A lone member's statement is
// its own: its answer, whatever it is, is final.
func (s *Store) runShared(ctx context.Context, batch []*groupedAppend) {
	if len(batch) == 1 {
		batch[0].results, batch[0].inserted, batch[0].err = s.appendMultiInOne(ctx, batch[0].appends)
		return
	}
	var all []eventstore.StreamAppend
	for _, member := range batch {
		all = append(all, member.appends...)
	}
	var results []eventstore.AppendResult
	inserted := false
	if eventstore.DistinctStreams(all) == nil {
		var err error
		results, inserted, err = s.appendMultiInOne(ctx, all)
		inserted = inserted && err == nil
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
