package commands

import (
	"context"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// giveGiftTerms decides, with give, terms of the gift donorID onto into, the subscription it was redeemed
// into (the redemption, a term bought with gift renew, one paid after 3-D Secure), then records on the
// donor's subscription where the last term given ends (subscription.GivenTermsEnd): the donor's gift runs
// until that day (subscription.RecordGiftTerms). Only a call that appended the terms records: a no-op (the
// same code redeemed again) or a command that had landed gives nothing, and the recipient's last period may
// by then be a term of their own. A crash in between leaves the gift ending where it did before the terms.
func (c Subscriptions) giveGiftTerms(ctx context.Context, env Envelope, donorID, into int64,
	give func(subscription.State, time.Time) ([]subscription.Event, error)) (SubscriptionResult, error) {
	var end time.Time // where the terms of give's last decision end
	done, err := c.handleState(ctx, env, into, func(s subscription.State, now time.Time) ([]subscription.Event, error) {
		events, err := give(s, now)
		end = subscription.GivenTermsEnd(s, events)
		return events, err
	})
	result := SubscriptionResult{SubscriptionID: into, Result: done.Result}
	if err != nil || !done.appended || end.IsZero() {
		return result, err
	}
	_, err = c.handle(ctx, env.derived("gift-terms"), donorID, func(s subscription.State, now time.Time) ([]subscription.Event, error) {
		return subscription.RecordGiftTerms(s, end, now)
	})
	return result, err
}
