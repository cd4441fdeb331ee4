package projections

import (
	"errors"
	"fmt"
	"runtime"
	"strings"
	"unicode"

	"github.com/ThreeDotsLabs/watermill/message/router/middleware"
	"github.com/google/uuid"
	"github.com/lib/pq"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// EventRef locates one event of the log: what operators need to find it (`pelcro events`, the store's own
// tools) and to reason about a fix.
type EventRef struct {
	ID       uuid.UUID
	Type     string
	Stream   string
	Revision uint64
	Position eventstore.Position
}

func refOf(ev eventstore.RecordedEvent) EventRef {
	return EventRef{ID: ev.ID, Type: ev.Type, Stream: ev.StreamID, Revision: ev.Revision, Position: ev.Position}
}

func (r EventRef) String() string {
	return fmt.Sprintf("%s at position %s (stream %s, revision %d, event %s)", r.Type, r.Position, r.Stream, r.Revision, r.ID)
}

// EventError is a projection's failure to decode or apply one event. The running projection and Rebuild
// both return it (wrapped), so an operator always learns which event failed, whatever the path.
type EventError struct {
	Projection string
	Event      EventRef
	Err        error
}

func (e *EventError) Error() string {
	return fmt.Sprintf("projections: %s: %s: %v", e.Projection, e.Event, e.Err)
}

func (e *EventError) Unwrap() error { return e.Err }

// failureReason describes why an event failed in words safe to persist and show to operators in other
// processes: PostgreSQL's messages can quote the refused value ("invalid input syntax for type uuid:
// \"ann@example.com\""), so a PostgreSQL error is reduced to its SQLSTATE and the names of the objects
// involved, inside the wrapping text of our own code; a panic keeps its value only when it is a runtime
// error. Our own errors are kept whole: apply funcs must not put personal data in their errors (see
// ApplyFunc). The event itself is left out: Stop.Event names it. The full error still goes to the server log.
func failureReason(err error) string {
	if eventErr := (*EventError)(nil); errors.As(err, &eventErr) {
		err = eventErr.Err // the event is told apart, in Stop.Event
	}
	reason := err.Error()
	var pqErr *pq.Error
	var panicked middleware.RecoveredPanicError
	switch {
	case errors.As(err, &pqErr):
		reason = strings.Replace(reason, pqErr.Error(), postgresReason(pqErr), 1)
	case errors.As(err, &panicked):
		reason = "the apply func panicked (value and stack in the server log)"
		if runtimeErr, ok := panicked.V.(runtime.Error); ok {
			reason = "the apply func panicked: " + runtimeErr.Error()
		}
	}
	return printable(reason)
}

// postgresReason is a PostgreSQL error without its message: code, condition name and object names.
func postgresReason(e *pq.Error) string {
	reason := fmt.Sprintf("PostgreSQL error %s (%s)", e.Code, e.Code.Name())
	for _, object := range []struct{ kind, name string }{
		{"table", e.Table}, {"column", e.Column}, {"constraint", e.Constraint}, {"type", e.DataTypeName},
	} {
		if object.name != "" {
			reason += fmt.Sprintf(" %s %q", object.kind, object.name)
		}
	}
	return reason
}

// printable replaces what PostgreSQL text columns refuse (NUL, invalid UTF-8) and every other control
// character, so persisting a stop can never fail for the very reason the projection stopped, and a reason
// stays on one line.
func printable(s string) string {
	return strings.Map(func(r rune) rune {
		if unicode.IsControl(r) {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "\uFFFD"))
}
