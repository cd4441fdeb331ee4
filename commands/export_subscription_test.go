package commands

import (
	"context"
	"strconv"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// SeedSubscription records a subscription's creation as it stands once created and paid, for the tests of
// the commands that act on existing subscriptions.
func (c Subscriptions) SeedSubscription(ctx context.Context, env Envelope, n subscription.New) (SubscriptionResult, error) {
	return c.handle(ctx, env, n.SubscriptionID, func(s subscription.State, now time.Time) ([]subscription.Event, error) {
		return subscription.Create(s, n, now)
	})
}

// RecordGiftCode records code as the gift code of the donor subscription id, as creating a gift does.
func (c Subscriptions) RecordGiftCode(ctx context.Context, env Envelope, code string, id int64) error {
	return c.reservations().Claim(ctx, env, giftCodeScope, recordScope, code, id, alwaysHolds)
}

// AsAnotherProcess is the same commands as another process would run them: its own subscription locks.
func (c Subscriptions) AsAnotherProcess() Subscriptions {
	c.locks = &keyedLocks{}
	return c
}

// RecordCreation records n's creation as a create does once its id is recorded; newID says the id was new
// to this command (recordedNewID).
func (c Subscriptions) RecordCreation(ctx context.Context, env Envelope, n subscription.New, newID bool) (SubscriptionResult, error) {
	return c.record(ctx, env, n, newID)
}

// CachedSubscription is the state this process's cache holds for subscription id, if it holds one.
func CachedSubscription(store eventstore.Store, id int64) (subscription.State, bool) {
	h, ok := states.get(store, SubscriptionAggregate.StreamPrefix+strconv.FormatInt(id, 10))
	if !ok {
		return subscription.State{}, false
	}
	s, ok := h.state.(subscription.State)
	return s, ok
}

// CarriesReadAhead says ctx carries stream tails read ahead (withTailsRead).
func CarriesReadAhead(ctx context.Context) bool {
	_, ok := ctx.Value(readAheadKey{}).(*readAhead)
	return ok
}
