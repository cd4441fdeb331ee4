package personaldata

import (
	"errors"
	"testing"
	"time"
)

// TestReadersOfASubjectInFlightShareOneLookupUnlessAnErasureCameBetween drives the cache's flights the way
// keysOf does: a first reader plans a lookup, something happens, a second reader plans.
func TestReadersOfASubjectInFlightShareOneLookupUnlessAnErasureCameBetween(t *testing.T) {
	t.Parallel()
	keys := &subjectKeys{}
	tests := []struct {
		name string
		// between runs after the first reader planned, before the second plans.
		between func(c *keyCache, first keyPlan)
		// secondJoins: the second reader waits for the first one's lookup instead of sending its own.
		secondJoins bool
		// secondCached: the second reader finds the keys in the cache.
		secondCached bool
	}{
		{name: "lookup still in flight", between: func(*keyCache, keyPlan) {}, secondJoins: true},
		{name: "the subject erased while in flight", between: func(c *keyCache, _ keyPlan) { c.evict("subscription-1") }},
		{name: "another subject erased while in flight", between: func(c *keyCache, _ keyPlan) { c.evict("customer-9") }},
		{name: "lookup landed", secondCached: true, between: func(c *keyCache, first keyPlan) {
			c.land(first.flight, first.mine, map[string]*subjectKeys{"subscription-1": keys}, nil)
		}},
		{name: "lookup landed after an erasure", between: func(c *keyCache, first keyPlan) {
			c.evict("subscription-1")
			c.land(first.flight, first.mine, map[string]*subjectKeys{"subscription-1": keys}, nil)
		}},
		{name: "lookup failed", between: func(c *keyCache, first keyPlan) {
			c.land(first.flight, first.mine, nil, errors.New("context canceled"))
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Given a reader looking up a subject no one has cached.
			c := newKeyCache(10, time.Minute, time.Now)
			first := c.plan([]string{"subscription-1"})
			if first.flight == nil || len(first.mine) != 1 {
				t.Fatalf("first reader: plan %+v, want a lookup of its own", first)
			}
			// When something happens, then a second reader needs the same subject.
			tt.between(c, first)
			second := c.plan([]string{"subscription-1"})
			// Then it joins, finds the keys cached, or looks them up itself.
			_, joined := second.joined["subscription-1"]
			_, cached := second.cached["subscription-1"]
			if joined != tt.secondJoins || cached != tt.secondCached || (len(second.mine) == 1) != (!joined && !cached) {
				t.Fatalf("second reader: joined %v cached %v own lookup %v, want joined %v cached %v",
					joined, cached, second.mine, tt.secondJoins, tt.secondCached)
			}
			if joined && second.joined["subscription-1"] != first.flight {
				t.Fatalf("second reader joined another flight than the first reader's")
			}
		})
	}
}

// TestAFlightWakesItsReadersWithItsAnswer: a reader waiting for a flight gets the answer it landed with.
func TestAFlightWakesItsReadersWithItsAnswer(t *testing.T) {
	t.Parallel()
	// Given a lookup in flight and a second reader waiting for it.
	c := newKeyCache(10, time.Minute, time.Now)
	first := c.plan([]string{"subscription-1", "subscription-2"})
	second := c.plan([]string{"subscription-2"})
	flight := second.joined["subscription-2"]
	keys := &subjectKeys{}
	// When the lookup lands.
	c.land(first.flight, first.mine, map[string]*subjectKeys{"subscription-1": {}, "subscription-2": keys}, nil)
	// Then the waiting reader is woken with the keys it needs, and nothing is in flight any more.
	select {
	case <-flight.done:
	default:
		t.Fatal("the waiting reader was not woken")
	}
	if flight.err != nil || flight.found["subscription-2"] != keys {
		t.Fatalf("woken with %v, %v; want the landed keys", flight.found, flight.err)
	}
	if len(c.flights) != 0 {
		t.Fatalf("flights left after landing: %v", c.flights)
	}
}
