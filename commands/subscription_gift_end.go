package commands

import (
	"context"
	"strconv"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// giveGiftTerms decides, with give, terms of the gift donorID onto into, the subscription it was redeemed
// into (the redemption, a term bought with gift renew, one paid after 3-D Secure), and records on the
// donor's subscription where the last term given ends (subscription.GivenTermsEnd): the donor's gift runs
// until that day (subscription.RecordGiftTerms). Both are appended in one commit (handleSides), so a crash
// or a failed append never leaves the recipient holding terms the donor's gift does not count, and the
// same command run again finds both landed. Only terms decided now are recorded: a no-op (the same code
// redeemed again) gives nothing, and the recipient's last period may by then be a term of their own. The
// sides also (a term's address attached, see attachedSides) are appended in the same commit.
//
// Warning: on a store without eventstore.MultiAppender the two are appended one after the other, and a
// crash between them leaves the gift ending where it did before the terms.
func (c Subscriptions) giveGiftTerms(ctx context.Context, env Envelope, donorID, into int64,
	give func(subscription.State, time.Time) ([]subscription.Event, error), also ...side) (SubscriptionResult, error) {
	at := c.now()
	recipient := newSide(SubscriptionAggregate, strconv.FormatInt(into, 10), env,
		func(s subscription.State) ([]subscription.Event, error) { return give(s, at) })
	donor := newSide(SubscriptionAggregate, strconv.FormatInt(donorID, 10), env.derived("gift-terms"),
		func(s subscription.State) ([]subscription.Event, error) {
			// the recipient's side was decided just before, in the same attempt, on recipient.h
			return subscription.RecordGiftTerms(s, subscription.GivenTermsEnd(recipient.h.state, recipient.events), at)
		})
	err := handleSides(ctx, c.Store, append([]side{recipient, donor}, also...)...)
	return SubscriptionResult{SubscriptionID: into, Result: recipient.done.Result}, err
}
