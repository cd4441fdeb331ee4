package reservation

import "time"

// State is one key's claim. The zero value is a free key, as is a released one.
type State struct {
	// Owner is the id of whoever owns the key; 0 means free.
	Owner int64
	// ClaimedAt is when the current owner claimed the key; zero when free.
	ClaimedAt time.Time
}

// Evolve folds one event into the state. It holds no rules: events are facts.
func Evolve(s State, e Event) State {
	switch e := e.(type) {
	case Claimed:
		return State{Owner: e.OwnerID, ClaimedAt: e.ClaimedAt}
	case Released:
		return State{}
	}
	return s
}

// HeldByAnother reports whether someone other than owner holds the key: the only case in which a claim
// needs to know whether that someone still holds the value.
func (s State) HeldByAnother(owner int64) bool { return s.Owner != 0 && s.Owner != owner }

// Stale reports whether the current claim is at least GracePeriod old at now, so it may be taken over if
// its owner no longer holds the value.
func (s State) Stale(now time.Time) bool { return s.Owner != 0 && now.Sub(s.ClaimedAt) >= GracePeriod }
