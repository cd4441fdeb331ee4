package commands

import (
	"context"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// giveGiftTerms decides, with give, terms of the gift donorID onto into, the subscription it was redeemed
// into (the redemption, a term bought with gift renew, one paid after 3-D Secure), then records on the
// donor's subscription where the last of them ends: they are into's last terms, so its last period's end.
// The donor's gift then runs until that day (subscription.RecordGiftTerms). A crash in between leaves the
// gift ending as it would have before the terms; the same command again records it, and a record already
// there changes nothing.
func (c Subscriptions) giveGiftTerms(ctx context.Context, env Envelope, donorID, into int64,
	give func(subscription.State, time.Time) ([]subscription.Event, error)) (SubscriptionResult, error) {
	done, err := c.handleState(ctx, env, into, give)
	result := SubscriptionResult{SubscriptionID: into, Result: done.Result}
	if err != nil {
		return result, err
	}
	end := done.state.LastPeriodEnd()
	_, err = c.handle(ctx, env.derived("gift-terms"), donorID, func(s subscription.State, now time.Time) ([]subscription.Event, error) {
		return subscription.RecordGiftTerms(s, end, now)
	})
	return result, err
}
