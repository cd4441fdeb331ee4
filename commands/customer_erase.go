package commands

import (
	"context"
	"errors"
	"strconv"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
)

// CustomerErasure is what erasing a customer leaves to clean up outside the log: the read models and the
// outbox rows of CustomerID, and the profile photo in Picture ("" for none).
type CustomerErasure struct {
	CustomerID int64
	AccountID  int64
	Picture    string
	Result
}

// Erase erases a customer (the right to erasure): it records customer.erased, before which the event store
// shreds the customer's key, so the personal fields of every event of the customer read as empty from then
// on; then it frees the customer's email and username for anyone to register again. Every command treats
// the customer as unknown afterwards. customer.ErrNotRegistered for an id nobody has.
//
// Running it again (after an interruption) is safe: the erasure is recorded once, and the claims are
// released if their values can still be read; a claim whose value was shredded before its release stays
// with the erased customer until someone claims it, which a stale claim allows (see Reservations).
func (c Customers) Erase(ctx context.Context, env Envelope, id int64) (CustomerErasure, error) {
	at := c.now()
	stream := strconv.FormatInt(id, 10)
	var before customer.State
	result, err := Handle(ctx, c.Store, CustomerAggregate, stream, env,
		func(s customer.State) ([]customer.Event, error) {
			before = s
			return customer.Erase(s, at)
		})
	if err != nil {
		return CustomerErasure{}, err
	}
	if before.ID == 0 { // the erasure landed before with this command id: read what it left
		h, err := load(ctx, c.Store, CustomerAggregate, CustomerAggregate.StreamPrefix+stream, "")
		if err != nil {
			return CustomerErasure{}, err
		}
		before = h.state
	}
	var errs []error
	if before.Email != "" {
		errs = append(errs, c.release(ctx, env, EmailScope, before.AccountID, before.Email, id))
	}
	if username := customer.NormaliseUsername(before.Username); username != "" {
		errs = append(errs, c.release(ctx, env, UsernameScope, before.AccountID, username, id))
	}
	return CustomerErasure{CustomerID: id, AccountID: before.AccountID, Picture: before.Picture, Result: result},
		errors.Join(errs...)
}
