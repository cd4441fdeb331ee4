package customer

import "time"

// NewAddress is POST /address (spec #46). Address.ID is the public id the caller allocated; RequirePostalCode
// is the account's AvaTax address validation (rule 25).
type NewAddress struct {
	Address           Address
	RequirePostalCode bool
}

// AddressChange is PUT /address/{address_id} (spec #47).
type AddressChange struct {
	AddressID         int64
	Changes           AddressPatch
	RequirePostalCode bool
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
// result is checked as a new address is. A change that changes nothing is a no-op.
func UpdateAddress(s State, c AddressChange, now time.Time) ([]Event, error) {
	if !s.Exists() {
		return nil, ErrNotRegistered
	}
	old, ok := s.Address(c.AddressID)
	if !ok {
		return nil, ErrAddressNotFound
	}
	address := NormaliseAddress(c.Changes.ApplyTo(old))
	if err := AddressProblems(address, c.RequirePostalCode).Err(); err != nil {
		return nil, err
	}
	if address == old {
		return nil, nil
	}
	return []Event{AddressUpdated{CustomerID: s.ID, Address: address, UpdatedAt: now}}, nil
}
