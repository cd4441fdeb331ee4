package subscription

import "time"

// Erase erases the subscription's personal data (a gift's recipient) with its customer's erasure: the
// event store shreds the subscription's key before it appends Erased. Erasing again is a no-op.
func Erase(s State, now time.Time) ([]Event, error) {
	switch {
	case !s.Exists():
		return nil, ErrNotFound
	case s.Erased:
		return nil, nil
	}
	return []Event{Erased{SubscriptionID: s.ID, ErasedAt: now}}, nil
}
