package eventstore

import (
	"errors"
	"fmt"
)

// ErrStreamNotFound is returned when reading a stream that has no events.
var ErrStreamNotFound = errors.New("stream not found")

// ErrWrongExpectedVersion matches (errors.Is) every *WrongExpectedVersionError.
var ErrWrongExpectedVersion = errors.New("wrong expected version")

// WrongExpectedVersionError is returned when an append's expected revision does not hold. Actual tells what
// the stream held, so a caller can reload and retry.
type WrongExpectedVersionError struct {
	Stream   string
	Expected ExpectedRevision
	// Actual is the stream's last revision, nil when the stream does not exist.
	Actual *uint64
}

func (e *WrongExpectedVersionError) Error() string {
	actual := "no stream"
	if e.Actual != nil {
		actual = fmt.Sprintf("revision %d", *e.Actual)
	}
	return fmt.Sprintf("wrong expected version on stream %q: expected %s, actual %s", e.Stream, e.Expected, actual)
}

// Is makes errors.Is(err, ErrWrongExpectedVersion) true.
func (e *WrongExpectedVersionError) Is(target error) bool { return target == ErrWrongExpectedVersion }
