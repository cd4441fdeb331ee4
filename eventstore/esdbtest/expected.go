package esdbtest

import (
	"github.com/EventStore/EventStore-Client-Go/v4/protos/shared"
	"github.com/google/uuid"
)

// expectKind is the optimistic-concurrency condition a write carries.
type expectKind int

const (
	expectAny expectKind = iota
	expectNoStream
	expectStreamExists
	expectRevision
)

// expectation is the expected stream revision of an append, delete or tombstone.
type expectation struct {
	kind     expectKind
	revision uint64 // only meaningful for expectRevision
}

// expectedRevisionOptions is what the Append, Delete and Tombstone option
// messages have in common: the generated getters of their
// expected_stream_revision oneof.
type expectedRevisionOptions interface {
	GetRevision() uint64
	GetNoStream() *shared.Empty
	GetAny() *shared.Empty
	GetStreamExists() *shared.Empty
}

// parseExpectation reads the oneof. The client always sets it; an unset oneof
// would read as revision 0.
func parseExpectation(o expectedRevisionOptions) expectation {
	switch {
	case o.GetNoStream() != nil:
		return expectation{kind: expectNoStream}
	case o.GetStreamExists() != nil:
		return expectation{kind: expectStreamExists}
	case o.GetAny() != nil:
		return expectation{kind: expectAny}
	}
	return expectation{kind: expectRevision, revision: o.GetRevision()}
}

// decision is what a write does once the expectation has been checked.
type decision int

const (
	decisionWrite      decision = iota // append the events
	decisionIdempotent                 // the events are already there: acknowledge, write nothing
	decisionWrong                      // wrong expected version
)

// decide checks exp against the stream. Like a real node it recognises a
// retried write: when the proposed event ids already sit where the
// expectation puts them (or, for Any, anywhere consecutively), the write is
// acknowledged with the last matching record instead of being duplicated or
// rejected. A partial overlap is a wrong expected version.
func decide(st *streamState, exp expectation, ids []uuid.UUID) (decision, *record) {
	current := uint64(0)
	if st != nil {
		current = uint64(len(st.records))
	}
	switch exp.kind {
	case expectStreamExists:
		if current == 0 {
			return decisionWrong, nil
		}
		return decideByEventIDs(st, ids)
	case expectAny:
		return decideByEventIDs(st, ids)
	}
	next := uint64(0)
	if exp.kind == expectRevision {
		next = exp.revision + 1
	}
	switch {
	case current == next:
		return decisionWrite, nil
	case current > next:
		if last := matchAt(st, next, ids); last != nil {
			return decisionIdempotent, last
		}
	}
	return decisionWrong, nil
}

// decideByEventIDs handles expectations that do not pin a revision: the write
// is a retry when the first id is known and all ids follow it in order.
func decideByEventIDs(st *streamState, ids []uuid.UUID) (decision, *record) {
	if st == nil || len(ids) == 0 {
		return decisionWrite, nil
	}
	first, known := st.firstRevision[ids[0]]
	if !known {
		return decisionWrite, nil
	}
	if last := matchAt(st, first, ids); last != nil {
		return decisionIdempotent, last
	}
	return decisionWrong, nil
}

// matchAt returns the record holding the last id when ids occupy the stream
// from revision start on, or nil when they do not (or ids is empty).
func matchAt(st *streamState, start uint64, ids []uuid.UUID) *record {
	if len(ids) == 0 || start+uint64(len(ids)) > uint64(len(st.records)) {
		return nil
	}
	for i, id := range ids {
		if st.records[start+uint64(i)].id != id {
			return nil
		}
	}
	return st.records[start+uint64(len(ids))-1]
}
