package eventstore

import (
	"context"
	"fmt"
)

// StreamAppend is one stream's part of a multi-stream append: Events to write at the end of Stream when
// Expected holds, exactly as one Append call would take them.
type StreamAppend struct {
	Stream   string
	Expected ExpectedRevision
	Events   []EventData
}

// MultiAppender is an optional capability of a Store: appending to several streams in one commit. A command
// that changes two aggregates together (a renewal's subscription and its invoice) then pays one commit, and
// a crash can never leave one stream written without the other.
//
// WARNING: a wrapper that embeds a Store (a decorator, a test double) does NOT have this method unless it
// declares its own: Go promotes only the methods of the embedded interface type, and Store has no
// AppendMulti. Such a wrapper silently loses atomicity: AppendMulti below then appends stream by stream, so
// a crash can leave one stream written without the other, and nothing fails to tell. Every wrapper over a
// MultiAppender must implement AppendMulti itself (personaldata.Store does) and pass it through.
type MultiAppender interface {
	// AppendMulti writes every append or none. Each append's expected revision is checked on its own
	// stream; when one does not hold, nothing is written and the error is that stream's
	// *WrongExpectedVersionError (its Stream names it). The results are in the order of appends. Running
	// the same AppendMulti again after it landed (the same ids at the expected places) writes nothing and
	// returns the original results, as Append does. A stream may appear only once.
	AppendMulti(ctx context.Context, appends []StreamAppend) ([]AppendResult, error)
}

// AppendMulti appends to several streams through store: in one commit when the store is a MultiAppender,
// else one Append per stream, in the order given, stopping at the first failure.
//
// Warning: on a store without the capability the appends before a failure stay written. A caller must
// therefore be safe when a crash comes between any two of them, exactly as for separate commands: every
// append must be recognisable as landed (event ids derived from its command) and the decisions of the
// streams after it must still hold when taken again on their own.
func AppendMulti(ctx context.Context, store Store, appends []StreamAppend) ([]AppendResult, error) {
	if err := DistinctStreams(appends); err != nil {
		return nil, err
	}
	if multi, ok := store.(MultiAppender); ok {
		return multi.AppendMulti(ctx, appends)
	}
	results := make([]AppendResult, len(appends))
	for i, a := range appends {
		res, err := store.Append(ctx, a.Stream, a.Expected, a.Events...)
		if err != nil {
			return nil, err
		}
		results[i] = res
	}
	return results, nil
}

// DistinctStreams refuses a multi-stream append naming a stream twice: the second part's expected revision
// could not be checked against the stream as the first part leaves it. Every MultiAppender checks it first.
func DistinctStreams(appends []StreamAppend) error {
	seen := make(map[string]struct{}, len(appends))
	for _, a := range appends {
		if _, dup := seen[a.Stream]; dup {
			return fmt.Errorf("eventstore: stream %s appears twice in one multi-stream append", a.Stream)
		}
		seen[a.Stream] = struct{}{}
	}
	return nil
}
