package idblock_test

import (
	"math"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/aggtest"
	"github.com/pelcro-oss/pelcro-api/aggregates/idblock"
)

var (
	counters = aggtest.For(idblock.Events, idblock.Evolve)
	at       = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	earlier  = time.Date(2025, 2, 1, 9, 0, 0, 0, time.UTC)
)

func reserve(size, first int64) func(idblock.State) ([]idblock.Event, error) {
	return func(s idblock.State) ([]idblock.Event, error) { return idblock.Reserve(s, size, first, at) }
}

func TestReserve(t *testing.T) {
	t.Parallel()
	previous := idblock.Reserved{First: 1, Last: 100, ReservedAt: earlier}
	cases := []struct {
		name  string
		given []idblock.Event
		size  int64
		first int64
		want  idblock.Reserved
	}{
		{"a new counter starts at 1", nil, 100, 0,
			idblock.Reserved{First: 1, Last: 100, ReservedAt: at}},
		{"a new counter starts at the configured first id", nil, 10, 1000,
			idblock.Reserved{First: 1000, Last: 1009, ReservedAt: at}},
		{"the next block follows the last id handed out", []idblock.Event{previous}, 50, 0,
			idblock.Reserved{First: 101, Last: 150, ReservedAt: at}},
		{"a first id already passed is ignored", []idblock.Event{previous}, 1, 10,
			idblock.Reserved{First: 101, Last: 101, ReservedAt: at}},
		{"raising the first id skips ahead", []idblock.Event{previous}, 5, 5000,
			idblock.Reserved{First: 5000, Last: 5004, ReservedAt: at}},
		{"a negative first id still gives positive ids", nil, 2, -7,
			idblock.Reserved{First: 1, Last: 2, ReservedAt: at}},
		{"the very last ids can be handed out", []idblock.Event{idblock.Reserved{First: 1, Last: math.MaxInt64 - 3}}, 3, 0,
			idblock.Reserved{First: math.MaxInt64 - 2, Last: math.MaxInt64, ReservedAt: at}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			counters.Given(c.given...).When(reserve(c.size, c.first)).Then(t, c.want)
		})
	}
}

func TestReserveRefuses(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name  string
		given []idblock.Event
		size  int64
		want  error
	}{
		{"an empty block", nil, 0, idblock.ErrInvalidSize},
		{"a negative block", nil, -5, idblock.ErrInvalidSize},
		{"a block past the largest id", []idblock.Event{idblock.Reserved{First: 1, Last: math.MaxInt64 - 3}}, 4,
			idblock.ErrExhausted},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			counters.Given(c.given...).When(reserve(c.size, 0)).ThenError(t, c.want)
		})
	}
}

func TestEvolveNeedsOnlyTheLastEvent(t *testing.T) {
	t.Parallel()
	// given a history of blocks
	history := []idblock.Reserved{{First: 1, Last: 100}, {First: 101, Last: 110}, {First: 1000, Last: 1099}}
	// when it is folded whole, and when only its last event is
	var whole idblock.State
	for _, e := range history {
		whole = idblock.Evolve(whole, e)
	}
	last := idblock.Evolve(idblock.State{}, history[len(history)-1])
	// then both give the same counter
	if whole != last || whole.Last != 1099 {
		t.Errorf("folded whole: %+v, from the last event: %+v, want Last 1099 for both", whole, last)
	}
}
