package idblock

import (
	"errors"
	"math"
	"time"
)

// ErrInvalidSize is returned when asking for a block of fewer than one id.
var ErrInvalidSize = errors.New("idblock: block size must be at least 1")

// ErrExhausted is returned when the block would run past the largest int64: the counter has no ids left.
var ErrExhausted = errors.New("idblock: no ids left")

// Reserve decides the next block of size ids: it starts right after the last id handed out, or at first
// when that is higher (so a kind of id may start at, say, 1000, and the start may be raised later without
// reusing ids). A first below 1 means 1: ids are always positive.
func Reserve(s State, size, first int64, now time.Time) ([]Event, error) {
	if size < 1 {
		return nil, ErrInvalidSize
	}
	start := max(s.Last+1, first, 1)
	if start > math.MaxInt64-(size-1) {
		return nil, ErrExhausted
	}
	return []Event{Reserved{First: start, Last: start + size - 1, ReservedAt: now}}, nil
}
