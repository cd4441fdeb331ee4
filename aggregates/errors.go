package aggregates

import (
	"errors"
	"fmt"
)

// ErrUnknownEvent matches (errors.Is) every *UnknownEventError.
var ErrUnknownEvent = errors.New("unknown event")

// ErrUnregisteredType is returned when encoding a Go value whose type was never registered. It is a
// programming error (a decide function returned an event its package forgot to register), not a data error.
var ErrUnregisteredType = errors.New("event type not registered")

// ErrUnsupportedSchemaVersion is returned when a stored event carries a schema version this build cannot
// turn into the newest shape: below 1, or newer than the registered one (written by a newer deployment).
var ErrUnsupportedSchemaVersion = errors.New("unsupported event schema version")

// UnknownEventError is returned by Decode for a name nobody registered. Projections recognise it (errors.Is
// with ErrUnknownEvent, or errors.As) and acknowledge such events instead of failing: the log also holds
// events of aggregates a given read model does not care about, and events newer code introduced.
type UnknownEventError struct {
	Name string
}

func (e *UnknownEventError) Error() string { return fmt.Sprintf("unknown event %q", e.Name) }

// Is makes errors.Is(err, ErrUnknownEvent) true.
func (e *UnknownEventError) Is(target error) bool { return target == ErrUnknownEvent }
