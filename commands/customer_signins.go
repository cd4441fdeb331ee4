package commands

import (
	"context"
	"strconv"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
)

// signIn runs decide on the customer's stream like handle (what the sign-in checks and changes: a password
// hash upgrade, an identity linked or unlinked), then records the sign-in in the customer's sign-in stream
// (customer.SignInStreamPrefix), so that signing in does not grow the stream every command folds
// (docs/customers.md, "Sign-ins").
func (c Customers) signIn(ctx context.Context, env Envelope, id, accountID int64, login customer.Login,
	decide func(customer.State, time.Time) ([]customer.Event, error)) (CustomerResult, error) {
	env = actingAsThemselves(env, id)
	result, err := c.handle(ctx, env, id, accountID, decide)
	if err != nil {
		return result, err
	}
	return c.recordSignIn(ctx, env, result, login)
}

// recordSignIn appends the record of a sign-in the customer's stream accepted (result says where that
// stream stands) to their sign-in stream. The answer keeps the customer stream's revision and takes the
// record's position, which comes after everything the command wrote: a read model that reached it reflects
// the whole sign-in.
//
// The record comes second so that no sign-in is recorded that its customer's stream refused. A retried
// command records it if the first attempt did not get that far, even when its customer events had landed
// (the record's id derives from the command id, so it is never written twice).
func (c Customers) recordSignIn(ctx context.Context, env Envelope, result CustomerResult, login customer.Login) (CustomerResult, error) {
	env = actingAsThemselves(env, result.CustomerID)
	stream := customer.SignInStreamPrefix + strconv.FormatInt(result.CustomerID, 10)
	data, err := toEventData(customer.Events, stream, env, []customer.Event{customer.RecordLogin(result.CustomerID, login, c.now())})
	if err != nil {
		return CustomerResult{}, err
	}
	if result.Position, err = appendRecord(ctx, c.Store, stream, data[0]); err != nil {
		return CustomerResult{}, err
	}
	return result, nil
}

// actingAsThemselves is env with customer id as its actor when nobody signed in sends the command: a visitor
// who registers, signs in or uses a mailed token proves to be that customer, and the audit's "who" should
// say so rather than "unknown". The actor is metadata only: command and event ids do not depend on it.
func actingAsThemselves(env Envelope, id int64) Envelope {
	if env.Actor == "" {
		env.Actor = "customer:" + strconv.FormatInt(id, 10)
	}
	return env
}
