package eventstore

import "fmt"

type expectedKind int

const (
	expectAny expectedKind = iota
	expectNoStream
	expectStreamExists
	expectExact
)

// ExpectedRevision is the optimistic-concurrency condition of an append. The zero value is Any.
type ExpectedRevision struct {
	kind     expectedKind
	revision uint64
}

// Any appends whatever the stream holds.
func Any() ExpectedRevision { return ExpectedRevision{kind: expectAny} }

// NoStream appends only when the stream has no events yet; it is how unique reservations are taken.
func NoStream() ExpectedRevision { return ExpectedRevision{kind: expectNoStream} }

// StreamExists appends only when the stream has at least one event.
func StreamExists() ExpectedRevision { return ExpectedRevision{kind: expectStreamExists} }

// Exact appends only when the stream's last event has exactly this revision.
func Exact(revision uint64) ExpectedRevision {
	return ExpectedRevision{kind: expectExact, revision: revision}
}

// IsAny, IsNoStream and IsStreamExists tell adapters which condition was asked for.
func (e ExpectedRevision) IsAny() bool          { return e.kind == expectAny }
func (e ExpectedRevision) IsNoStream() bool     { return e.kind == expectNoStream }
func (e ExpectedRevision) IsStreamExists() bool { return e.kind == expectStreamExists }

// Exact returns the revision and true when the condition is an exact revision.
func (e ExpectedRevision) Exact() (uint64, bool) { return e.revision, e.kind == expectExact }

// Allows reports whether a stream whose last revision is actual (nil: no stream) satisfies the condition.
func (e ExpectedRevision) Allows(actual *uint64) bool {
	switch e.kind {
	case expectNoStream:
		return actual == nil
	case expectStreamExists:
		return actual != nil
	case expectExact:
		return actual != nil && *actual == e.revision
	}
	return true
}

func (e ExpectedRevision) String() string {
	switch e.kind {
	case expectNoStream:
		return "no stream"
	case expectStreamExists:
		return "stream exists"
	case expectExact:
		return fmt.Sprintf("revision %d", e.revision)
	}
	return "any"
}
