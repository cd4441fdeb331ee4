package customer_test

import (
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/aggtest"
	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
)

var (
	customers    = aggtest.For(customer.Events, customer.Evolve)
	registerTime = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	now          = time.Date(2025, 3, 2, 9, 0, 0, 0, time.UTC)
)

const annID = 207

func ptr[T any](v T) *T { return &v }

// decision is what When takes.
type decision = func(customer.State) ([]customer.Event, error)

// registered is Ann, who signed up with a password on site 1232 of account 10.
func registered() customer.Registered {
	return customer.Registered{CustomerID: annID, AccountID: 10, SiteID: 1232, Email: "ann@example.com",
		Username: "Ann_Lee", PasswordHash: "hash-1", Method: customer.MethodPassword, RegisteredAt: registerTime,
		Profile: customer.Profile{FirstName: "Ann", Language: "en", Metadata: map[string]any{"tier": "gold", "seats": 2.0}}}
}

// stateOf folds events as the command pipeline would.
func stateOf(events ...customer.Event) customer.State {
	var s customer.State
	for _, e := range events {
		s = customer.Evolve(s, e)
	}
	return s
}

// on runs a decision taking a command, at now.
func on[C any](decide func(customer.State, C, time.Time) ([]customer.Event, error), c C) decision {
	return func(s customer.State) ([]customer.Event, error) { return decide(s, c, now) }
}

// wantProblems asserts that err is exactly these Problems (which match ErrInvalid) and no event was produced.
func wantProblems(t *testing.T, events []customer.Event, err error, want customer.Problems) {
	t.Helper()
	var got customer.Problems
	if !errors.As(err, &got) || !errors.Is(err, customer.ErrInvalid) || len(events) > 0 {
		t.Fatalf("decision = %v, %v; want Problems only", events, err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("problems = %v, want %v", got, want)
	}
}
