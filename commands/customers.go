package commands

import (
	"context"
	"errors"
	"strconv"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// CustomerAggregate stores one stream per customer, "customer-<id>". Warning: the prefix is part of stored
// stream names; changing it orphans every customer.
var CustomerAggregate = Aggregate[customer.State, customer.Event]{
	Registry: customer.Events, Evolve: customer.Evolve, StreamPrefix: "customer-"}

// Errors of the customer commands besides the aggregate's own (customer.Problems, customer.ErrTokenInvalid,
// customer.ErrThrottled, …).
var (
	// ErrEmailTaken: another customer of the account has the email (rule 4).
	ErrEmailTaken = errors.New("commands: email already taken in this account")
	// ErrUsernameTaken: another customer of the account has the username (rule 4).
	ErrUsernameTaken = errors.New("commands: username already taken in this account")
	// ErrInvalidCredentials: unknown email, unknown username or wrong password, deliberately not told apart
	// (rule 6).
	ErrInvalidCredentials = errors.New("commands: invalid credentials")
	// ErrCustomerNotFound: no customer of the account has the email (passwordless request, forgot password).
	ErrCustomerNotFound = errors.New("commands: no customer with this email in the account")
)

// PasswordHasher hashes and checks passwords (internal/auth.Hasher). Hashing is slow on purpose, so it never
// runs inside a decide function, which may run several times.
type PasswordHasher interface {
	Hash(ctx context.Context, password string) (string, error)
	Verify(ctx context.Context, password, encoded string) (bool, error)
	// VerifyDummy costs what Verify costs, for a login whose customer does not exist (rule 6: comparable timing).
	VerifyDummy(ctx context.Context, password string) error
	// NeedsRehash tells a hash made with weaker parameters than the current ones.
	NeedsRehash(encoded string) bool
}

// OneTimeTokens mints the tokens of mailed links (internal/auth): "<customer id>.<secret part>", derived
// from a random nonce with a server key, so events hold only the nonce and the token's hash.
type OneTimeTokens interface {
	NewNonce() string
	Token(customerID int64, purpose, nonce string) string
	Hash(token string) string
	// CustomerOf reads the customer id a token names; it fails for anything that is not a token's shape.
	CustomerOf(token string) (int64, error)
}

// Customers runs the customer commands (spec 2.1, 2.2, 2.8). Every field is required but Now,
// SubscriptionsOf and Catalog.
type Customers struct {
	Store        eventstore.Store
	CustomerIDs  *IDAllocator
	AddressIDs   *IDAllocator
	Reservations Reservations
	Passwords    PasswordHasher
	Tokens       OneTimeTokens
	Throttle     LoginThrottle
	// Now is the business clock stamped on events; nil means time.Now.
	Now func() time.Time
	// SubscriptionsOf lists the customer's subscriptions that have not ended for good, as the subscriptions
	// read model knows them; the address rules that involve subscriptions (customer_address_uses.go) read
	// those and the ones the customer's stream attached to an address. nil: the attached ones alone.
	SubscriptionsOf func(ctx context.Context, customerID int64) ([]int64, error)
	// Catalog gives the site's tax setting and the plans' countries when subscriptions move onto an address
	// (AddressUpdate.MoveSubscriptions); nil refuses such moves with an error.
	Catalog CommerceCatalog
}

// CustomerResult is where a customer command left the customer. After a sign-in, Revision is the customer
// stream's and Position the sign-in record's, the command's last event (see recordSignIn).
type CustomerResult struct {
	CustomerID int64
	Result
}

// Target names the customer a command is for, from an authenticated token, and the account and site the
// request came through: a customer of another account is treated as not existing (per-account isolation).
type Target struct {
	CustomerID int64
	AccountID  int64
	SiteID     int64
}

// now returns the business time of a command, fixed once for all its attempts.
func (c Customers) now() time.Time {
	if c.Now != nil {
		return c.Now().UTC()
	}
	return time.Now().UTC()
}

// handle runs decide on the customer's stream. A customer of another account than accountID is refused
// with customer.ErrNotRegistered before decide sees it.
func (c Customers) handle(ctx context.Context, env Envelope, id, accountID int64,
	decide func(customer.State, time.Time) ([]customer.Event, error)) (CustomerResult, error) {
	return c.handleLoaded(ctx, env, id, accountID, nil, decide)
}

// handleLoaded is handle whose first attempt decides on loaded, the customer's stream as this command
// loaded it (nil: load it); see handleLoaded of the pipeline.
func (c Customers) handleLoaded(ctx context.Context, env Envelope, id, accountID int64, loaded *history[customer.State],
	decide func(customer.State, time.Time) ([]customer.Event, error)) (CustomerResult, error) {
	at := c.now()
	result, err := handleLoaded(ctx, c.Store, CustomerAggregate, strconv.FormatInt(id, 10), env, loaded,
		func(s customer.State) ([]customer.Event, error) {
			if s.Exists() && s.AccountID != accountID {
				return nil, customer.ErrNotRegistered
			}
			return decide(s, at)
		})
	return CustomerResult{CustomerID: id, Result: result}, err
}

// read loads a customer's current state; a customer of another account reads as not existing.
func (c Customers) read(ctx context.Context, id, accountID int64) (customer.State, error) {
	h, err := load(ctx, c.Store, CustomerAggregate, customerStream(id), "")
	if err != nil || h.state.AccountID != accountID {
		return customer.State{}, err
	}
	return h.state, nil
}

// customerStream is the name of a customer's stream.
func customerStream(id int64) string {
	return CustomerAggregate.StreamPrefix + strconv.FormatInt(id, 10)
}

// then folds the events a first decision made and runs the next decision on the result, so one command can
// append the events of several decisions atomically (e.g. register, link an identity and record the login).
func then(s customer.State, events []customer.Event, err error,
	next func(customer.State) ([]customer.Event, error)) ([]customer.Event, error) {
	if err != nil {
		return nil, err
	}
	for _, e := range events {
		s = customer.Evolve(s, e)
	}
	more, err := next(s)
	if err != nil {
		return nil, err
	}
	return append(events, more...), nil
}

// readAt folds a customer's stream up to and including revision: the customer as a given command left it.
func (c Customers) readAt(ctx context.Context, id, accountID int64, revision uint64) (customer.State, error) {
	s, err := stateAt(ctx, c.Store, CustomerAggregate, customerStream(id), revision)
	if err != nil || s.AccountID != accountID {
		return customer.State{}, err
	}
	return s, nil
}
