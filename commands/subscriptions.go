package commands

import (
	"context"
	"strconv"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// SubscriptionAggregate stores one stream per subscription, "subscription-<id>". Warning: the prefix is part
// of stored stream names (and a data subject's, see PersonalDataStreams); changing it orphans every
// subscription.
var SubscriptionAggregate = Aggregate[subscription.State, subscription.Event]{
	Registry: subscription.Events, Evolve: subscription.Evolve, StreamPrefix: "subscription-"}

// IDKindSubscription is the kind of the subscriptions' integer ids (see IDAllocator). Warning: names a
// counter stream.
const IDKindSubscription = "subscription"

// Subscriptions runs the subscription commands (spec 2.4) and the billing clock's decisions. Each family
// has a file of its own (subscription_*.go, billing_*.go); they share these dependencies.
type Subscriptions struct {
	Store eventstore.Store
	// IDs allocates subscription ids.
	IDs *IDAllocator
	// Invoices opens and pays the subscriptions' invoices; Wallets saves the card a gateway token stands for,
	// so renewals can charge it.
	Invoices Invoices
	Wallets  Wallets
	Pricer   Pricer
	Catalog  CommerceCatalog
	Gateways Gateways
	// Names keys the streams named after gift codes (a code is a bearer secret).
	Names StreamNames
	// Rules are the checks of other families that renewals, changes and gifts apply too (SubscriptionRules).
	Rules SubscriptionRules
	// Now is the business clock stamped on events; nil means time.Now.
	Now func() time.Time
	// locks serialises the customer commands of one subscription; nil means the process's (subscriptionLocks).
	locks *keyedLocks
}

// SubscriptionResult is where a subscription command left the subscription, and the payment intent the
// customer must complete when a renewal, change or gift term waits for 3-D Secure (nil: none).
type SubscriptionResult struct {
	SubscriptionID int64
	Result
	PaymentIntent *payments.Intent
	// SubscriptionOnly says the command wrote no event that a read model besides the subscriptions' shows:
	// no invoice, no card (a creation without a charge or a gateway token). Its answer need wait for the
	// subscriptions read model alone. Warning: set it only where that is certain; false is always safe.
	SubscriptionOnly bool
}

// handle runs decide on the subscription's stream with the command's business time.
func (c Subscriptions) handle(ctx context.Context, env Envelope, id int64,
	decide func(subscription.State, time.Time) ([]subscription.Event, error)) (SubscriptionResult, error) {
	done, err := c.handleState(ctx, env, id, decide)
	return SubscriptionResult{SubscriptionID: id, Result: done.Result}, err
}

// handleState is handle that also returns the subscription's state after the command, so the billing clock
// decides its next item without reading the stream back.
func (c Subscriptions) handleState(ctx context.Context, env Envelope, id int64,
	decide func(subscription.State, time.Time) ([]subscription.Event, error)) (handled[subscription.State], error) {
	at := c.now()
	return handleState(ctx, c.Store, SubscriptionAggregate, strconv.FormatInt(id, 10), env, nil,
		func(s subscription.State) ([]subscription.Event, error) { return decide(s, at) })
}

// Read loads a subscription's current state (the zero State when there is none).
func (c Subscriptions) Read(ctx context.Context, id int64) (subscription.State, error) {
	s, _, err := c.readAt(ctx, id)
	return s, err
}

// readAt is Read with the revision of the stream's last event: where the state stands.
func (c Subscriptions) readAt(ctx context.Context, id int64) (subscription.State, uint64, error) {
	h, err := load(ctx, c.Store, SubscriptionAggregate, subscriptionStream(id), "")
	return h.state, h.last.Revision, err
}

// now returns the business time of a command, fixed once for all its attempts.
func (c Subscriptions) now() time.Time {
	if c.Now != nil {
		return c.Now().UTC()
	}
	return time.Now().UTC()
}

// subscriptionStream is the name of a subscription's stream.
func subscriptionStream(id int64) string {
	return SubscriptionAggregate.StreamPrefix + strconv.FormatInt(id, 10)
}
