package aggtest_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/aggtest"
)

// A tiny tally aggregate: it exists once opened, and counts up to a limit.
type tallyEvent interface{ isTallyEvent() }

type opened struct {
	Limit int `json:"limit"`
}

type counted struct {
	By int `json:"by"`
}

// leaky loses its field on a round trip: the field is unexported.
type leaky struct {
	by int
}

func (opened) isTallyEvent()  {}
func (counted) isTallyEvent() {}
func (leaky) isTallyEvent()   {}

type tally struct {
	open  bool
	limit int
	count int
}

var errLimit = errors.New("limit reached")

func evolve(s tally, e tallyEvent) tally {
	switch e := e.(type) {
	case opened:
		s.open, s.limit = true, e.Limit
	case counted:
		s.count += e.By
	}
	return s
}

func count(by int) func(tally) ([]tallyEvent, error) {
	return func(s tally) ([]tallyEvent, error) {
		if s.count+by > s.limit {
			return nil, errLimit
		}
		return []tallyEvent{counted{By: by}}, nil
	}
}

func tallySpec() aggtest.Spec[tally, tallyEvent] {
	r := aggregates.NewRegistry()
	aggregates.MustRegister[opened](r, "tally.opened")
	aggregates.MustRegister[counted](r, "tally.counted")
	aggregates.MustRegister[leaky](r, "tally.leaky")
	return aggtest.For(r, evolve)
}

// recorder is a testing.TB that records failures instead of failing the real test, so the helper's own
// failures can be asserted.
type recorder struct {
	testing.TB
	failures []string
}

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.failures = append(r.failures, fmt.Sprintf(format, args...))
}

func TestScenarios(t *testing.T) {
	t.Parallel()
	spec := tallySpec()
	tests := []struct {
		name        string
		check       func(tb testing.TB)
		wantFailure string // empty: the scenario must pass
	}{
		{"events as expected", func(tb testing.TB) {
			spec.Given(opened{Limit: 3}, counted{By: 1}).When(count(2)).Then(tb, counted{By: 2})
		}, ""},
		{"expected error", func(tb testing.TB) {
			spec.Given(opened{Limit: 3}, counted{By: 2}).When(count(2)).ThenError(tb, errLimit)
		}, ""},
		{"no-op expected", func(tb testing.TB) {
			spec.Given(opened{Limit: 3}).When(func(tally) ([]tallyEvent, error) { return nil, nil }).Then(tb)
		}, ""},
		{"other events", func(tb testing.TB) {
			spec.Given(opened{Limit: 3}).When(count(1)).Then(tb, counted{By: 2})
		}, "decision produced"},
		{"events where a no-op was expected", func(tb testing.TB) {
			spec.Given(opened{Limit: 3}).When(count(1)).Then(tb)
		}, "decision produced"},
		{"error where events were expected", func(tb testing.TB) {
			spec.Given().When(count(1)).Then(tb, counted{By: 1})
		}, "decision failed"},
		{"events where an error was expected", func(tb testing.TB) {
			spec.Given(opened{Limit: 3}).When(count(1)).ThenError(tb, errLimit)
		}, "returned error <nil>"},
		{"rejection that still produced events", func(tb testing.TB) {
			spec.Given().When(func(tally) ([]tallyEvent, error) { return []tallyEvent{counted{By: 1}}, errLimit }).
				ThenError(tb, errLimit)
		}, "still produced events"},
		{"event that does not survive storage", func(tb testing.TB) {
			spec.Given().When(func(tally) ([]tallyEvent, error) { return []tallyEvent{leaky{by: 1}}, nil }).
				Then(tb, leaky{by: 1})
		}, "changes when stored and reloaded"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Given a recorder in place of the test
			rec := &recorder{TB: t}

			// When the scenario is checked
			tt.check(rec)

			// Then it passes, or fails with the expected message
			if tt.wantFailure == "" && len(rec.failures) > 0 {
				t.Fatalf("scenario failed: %v", rec.failures)
			}
			if tt.wantFailure != "" && (len(rec.failures) == 0 || !strings.Contains(rec.failures[0], tt.wantFailure)) {
				t.Fatalf("failures = %q, want one containing %q", rec.failures, tt.wantFailure)
			}
		})
	}
}
