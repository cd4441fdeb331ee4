// Package aggtest runs given/when/then scenarios against an aggregate's pure functions:
//
//	aggtest.For(customer.Events, customer.Evolve).
//		Given(customer.Registered{...}).
//		When(func(s customer.State) ([]customer.Event, error) { return customer.ChangeEmail(s, cmd, now) }).
//		Then(t, customer.EmailChanged{...})
//
// Every given and produced event also makes a round trip through the aggregate's registry, exactly as the
// command pipeline would store and reload it, so a forgotten registration, a missing JSON tag or an
// unexported field fails the aggregate's own tests instead of losing data in production. Events are compared
// with reflect.DeepEqual, so give scenarios fixed UTC times (time.Date(…, time.UTC)), never time.Now().
package aggtest

import (
	"errors"
	"reflect"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// Spec is an aggregate under test: its registry and its Evolve function.
type Spec[S, E any] struct {
	registry *aggregates.Registry
	evolve   func(S, E) S
}

// For describes the aggregate whose events registry knows and whose state evolve folds.
func For[S, E any](registry *aggregates.Registry, evolve func(S, E) S) Spec[S, E] {
	return Spec[S, E]{registry: registry, evolve: evolve}
}

// Scenario is a history of events the decision will see folded into state.
type Scenario[S, E any] struct {
	spec  Spec[S, E]
	given []E
}

// Given sets the history; with no events the decision sees the zero state (a new aggregate).
func (s Spec[S, E]) Given(events ...E) Scenario[S, E] {
	return Scenario[S, E]{spec: s, given: events}
}

// Outcome is what a decision did. Check it with Then or ThenError.
type Outcome[S, E any] struct {
	spec   Spec[S, E]
	given  []E
	events []E
	err    error
}

// When runs decide on the state folded from the given events.
func (sc Scenario[S, E]) When(decide func(S) ([]E, error)) Outcome[S, E] {
	var state S
	for _, e := range sc.given {
		state = sc.spec.evolve(state, e)
	}
	events, err := decide(state)
	return Outcome[S, E]{spec: sc.spec, given: sc.given, events: events, err: err}
}

// Then asserts that the decision succeeded with exactly the wanted events, in order. With no wanted events
// it asserts an idempotent no-op.
func (o Outcome[S, E]) Then(t testing.TB, want ...E) {
	t.Helper()
	o.checkRoundTrips(t)
	if o.err != nil {
		t.Errorf("aggtest: decision failed with %v, want events %#v", o.err, want)
		return
	}
	if len(o.events) != len(want) || (len(want) > 0 && !reflect.DeepEqual(o.events, want)) {
		t.Errorf("aggtest: decision produced\n\t%#v\nwant\n\t%#v", o.events, want)
	}
}

// ThenError asserts that the decision failed with an error matching want (errors.Is) and produced no
// events: a rejected command must leave the stream untouched.
func (o Outcome[S, E]) ThenError(t testing.TB, want error) {
	t.Helper()
	o.checkRoundTrips(t)
	if !errors.Is(o.err, want) {
		t.Errorf("aggtest: decision returned error %v, want %v", o.err, want)
	}
	if len(o.events) > 0 {
		t.Errorf("aggtest: rejected decision still produced events %#v", o.events)
	}
}

// checkRoundTrips encodes and decodes every given and produced event and reports any that changes.
func (o Outcome[S, E]) checkRoundTrips(t testing.TB) {
	t.Helper()
	for _, e := range append(append([]E{}, o.given...), o.events...) {
		encoded, err := o.spec.registry.Encode(e)
		if err != nil {
			t.Errorf("aggtest: %v", err)
			continue
		}
		decoded, err := o.spec.registry.Decode(encoded.Name, encoded.SchemaVersion, encoded.Data)
		if err != nil {
			t.Errorf("aggtest: %v", err)
			continue
		}
		if !reflect.DeepEqual(decoded, any(e)) {
			t.Errorf("aggtest: event %q changes when stored and reloaded:\n\tbefore %#v\n\tafter  %#v",
				encoded.Name, e, decoded)
		}
	}
}
