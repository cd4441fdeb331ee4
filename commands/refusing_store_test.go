package commands_test

import (
	"context"
	"errors"
	"sync/atomic"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// errStoreDown is what refusingStore answers when it refuses an append.
var errStoreDown = errors.New("test: the event store is down")

// refusingStore is a real event store that refuses, once, the next append holding an event of type refuse
// (a crash before the append), and answers errStoreDown, once, to the next append holding an event of type
// loseAnswer after writing it (a crash after the commit, before its answer came back), and answers a
// *eventstore.WrongExpectedVersionError, once, to the next append holding an event of type conflict without
// writing it (another writer got to the stream first).
type refusingStore struct {
	eventstore.Store
	refuse, loseAnswer, conflict atomic.Pointer[string]
	oneByOne                     atomic.Bool
}

func (s *refusingStore) Append(ctx context.Context, stream string, expected eventstore.ExpectedRevision,
	events ...eventstore.EventData) (eventstore.AppendResult, error) {
	if takeFault(&s.refuse, events) {
		return eventstore.AppendResult{}, errStoreDown
	}
	if takeFault(&s.conflict, events) {
		return eventstore.AppendResult{}, &eventstore.WrongExpectedVersionError{Stream: stream, Expected: expected}
	}
	res, err := s.Store.Append(ctx, stream, expected, events...)
	if err == nil && takeFault(&s.loseAnswer, events) {
		return eventstore.AppendResult{}, errStoreDown
	}
	return res, err
}

// AppendMulti plays Append's faults on a multi-stream append: refused before anything is written when any
// stream's events hold refuse, answered errStoreDown after all of them landed when any hold loseAnswer.
// With oneByOne set it appends like a store without the capability, one Append (and its faults) per stream.
func (s *refusingStore) AppendMulti(ctx context.Context, appends []eventstore.StreamAppend) ([]eventstore.AppendResult, error) {
	if s.oneByOne.Load() {
		return eventstore.AppendMulti(ctx, withoutMulti{s}, appends)
	}
	var all []eventstore.EventData
	for _, a := range appends {
		all = append(all, a.Events...)
	}
	if takeFault(&s.refuse, all) {
		return nil, errStoreDown
	}
	res, err := eventstore.AppendMulti(ctx, s.Store, appends)
	if err == nil && takeFault(&s.loseAnswer, all) {
		return nil, errStoreDown
	}
	return res, err
}

// withoutMulti hides a store's AppendMulti: eventstore.AppendMulti then appends stream by stream.
type withoutMulti struct{ eventstore.Store }

// takeFault clears fault and reports true when the events hold one of the type it names.
func takeFault(fault *atomic.Pointer[string], events []eventstore.EventData) bool {
	named := fault.Load()
	if named == nil {
		return false
	}
	for _, e := range events {
		if e.Type == *named && fault.CompareAndSwap(named, nil) {
			return true
		}
	}
	return false
}

// ReadStreams passes multi-stream reads through, so the commands that read ahead (withTailsRead) do so in
// every test built on this store, as they do over `pelcro serve`'s store.
func (s *refusingStore) ReadStreams(ctx context.Context, reads []eventstore.StreamRead) ([][]eventstore.RecordedEvent, error) {
	return eventstore.ReadStreams(ctx, s.Store, reads)
}
