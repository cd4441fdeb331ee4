package customer

import "time"

// NewAddress is POST /address (spec #46). Address.ID is the public id the caller allocated; RequirePostalCode
// is the account's AvaTax address validation (rule 25).
type NewAddress struct {
	Address           Address
	RequirePostalCode bool
}

// AddressChange is PUT /address/{address_id} (spec #47). InUse says a subscription uses the address (or may
// be about to: a Recent attachment), which the caller finds out from AttachedTo and the subscriptions: its
// country and state then cannot change. Moves are the subscriptions to move onto the address.
type AddressChange struct {
	AddressID         int64
	Changes           AddressPatch
	RequirePostalCode bool
	InUse             bool
	Moves             []Move
}

// AddAddress adds an address; as a default it takes over from the previous default of its type (rule 25).
// Adding the very same address under the same id again (a retried command) is a no-op; another address
// under an id the customer has is ErrAddressIDTaken.
func AddAddress(s State, c NewAddress, now time.Time) ([]Event, error) {
	if !s.Exists() {
		return nil, ErrNotRegistered
	}
	address := NormaliseAddress(c.Address)
	if err := AddressProblems(address, c.RequirePostalCode).Err(); err != nil {
		return nil, err
	}
	if old, ok := s.Address(address.ID); ok {
		if old == address {
			return nil, nil
		}
		return nil, ErrAddressIDTaken
	}
	return []Event{AddressAdded{CustomerID: s.ID, Address: address, AddedAt: now}}, nil
}

// UpdateAddress applies the patch to one of the customer's addresses (ErrAddressNotFound otherwise); the
// result is checked as a new address is, and while InUse its country and state must stay (RuleInUse).
// Each move attaches its subscription to the address, once every plan of every move is sold in the
// address's country (else ErrNotSoldThere, and nothing changes). A change that changes nothing and moves
// nothing is a no-op.
func UpdateAddress(s State, c AddressChange, now time.Time) ([]Event, error) {
	if !s.Exists() {
		return nil, ErrNotRegistered
	}
	old, ok := s.Address(c.AddressID)
	if !ok {
		return nil, ErrAddressNotFound
	}
	address := NormaliseAddress(c.Changes.ApplyTo(old))
	problems := AddressProblems(address, c.RequirePostalCode)
	if c.InUse {
		problems = append(problems, placeProblems(old, address)...)
	}
	if err := problems.Err(); err != nil {
		return nil, err
	}
	var events []Event
	if address != old {
		events = append(events, AddressUpdated{CustomerID: s.ID, Address: address, UpdatedAt: now})
	}
	for _, m := range c.Moves {
		if !m.soldIn(address.Country) {
			return nil, ErrNotSoldThere
		}
		events = append(events, attached(s.ID, address.ID, m.SubscriptionID, now))
	}
	return events, nil
}
