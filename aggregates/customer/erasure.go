package customer

import "time"

// Erased records that the customer's personal data was erased (the right to erasure): the store shredded
// the customer's key before writing it, so every personal field of the customer's events reads as its zero
// value from then on. It carries no personal data itself. An erased customer is not registered any more for
// every command (State.Exists is false) and its id is never used again.
type Erased struct {
	CustomerID int64     `json:"customer_id"`
	ErasedAt   time.Time `json:"erased_at"`
}

func (Erased) isCustomerEvent() {}

// ErasesPersonalData makes Erased an aggregates.Erasure.
func (Erased) ErasesPersonalData() {}

// Erase erases a registered customer. Erasing an erased customer again is a no-op, so an interrupted erasure
// can be run again; a customer that was never registered is ErrNotRegistered.
func Erase(s State, now time.Time) ([]Event, error) {
	switch {
	case s.ID == 0:
		return nil, ErrNotRegistered
	case s.Erased:
		return nil, nil
	}
	return []Event{Erased{CustomerID: s.ID, ErasedAt: now}}, nil
}
