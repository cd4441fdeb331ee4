package postgres

import (
	"context"

	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/groupcommit"
)

// appendGroup shares one statement, hence one commit, between the multi-stream appends that run at the same
// moment (groupcommit.Queue: the leader/follower queue, its patience and its contexts). A commit's fixed
// cost dwarfs a two-event append's bytes: the billing run's 16 workers each record "invoice paid +
// subscription paid" after their charge, and concurrent ones can go together.
//
// A shared statement is all or nothing, like each caller's own (insertMultiAfterQuery). When it writes
// nothing or fails (a caller's guard that does not hold, a lost race, two callers naming one stream, every
// caller's context ending), every caller tries its own statement alone, under its own context: each gets
// the answer it would have had without the group (wrong expected version, a retry recognised as a
// duplicate, success). When a shared statement landed but its answer was lost, every caller, alone, finds
// its events where it expected them and is answered as for a retry.
//
// Warning: callers are grouped only when every part of theirs takes the one-statement path (it expects no
// stream or an exact revision, and has events): an Any part needs pelcro_append's lock and would send the
// whole group back to running alone.
type appendGroup = groupcommit.Queue[[]eventstore.StreamAppend, appended]

// appended is one caller's answer from appendMultiInOne: inserted false (with no error) sends AppendMulti on
// to its transaction.
type appended struct {
	results  []eventstore.AppendResult
	inserted bool
}

// wireAppendGroup points the Store's appendGroup at its statements.
func (s *Store) wireAppendGroup() {
	s.group.Shared = s.appendShared
	s.group.Alone = func(ctx context.Context, appends []eventstore.StreamAppend) (appended, error) {
		results, inserted, err := s.appendMultiInOne(ctx, appends)
		return appended{results, inserted}, err
	}
}

// appendMultiInOneGrouped is appendMultiInOne, shared with the concurrent callers (appendGroup).
func (s *Store) appendMultiInOneGrouped(ctx context.Context, appends []eventstore.StreamAppend) (
	[]eventstore.AppendResult, bool, error) {
	if !oneStatementParts(appends) {
		return s.appendMultiInOne(ctx, appends)
	}
	out, err := s.group.Do(ctx, appends)
	return out.results, out.inserted, err
}

// appendShared appends the parts of every caller (two or more) in one statement and gives each caller its
// part of the results; ok is false when that statement did not write.
func (s *Store) appendShared(ctx context.Context, callers [][]eventstore.StreamAppend) (outs []appended, ok bool) {
	var all []eventstore.StreamAppend
	for _, appends := range callers {
		all = append(all, appends...)
	}
	if eventstore.DistinctStreams(all) != nil {
		return nil, false
	}
	results, inserted, _ := s.appendMultiInOne(ctx, all) // inserted is never true with an error
	if !inserted {
		return nil, false
	}
	outs = make([]appended, len(callers))
	for i, appends := range callers {
		outs[i] = appended{results: results[:len(appends):len(appends)], inserted: true}
		results = results[len(appends):]
	}
	return outs, true
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
