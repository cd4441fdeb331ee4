package commands

import (
	"context"
	"strconv"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// giveGiftTerms decides, with give, terms of the gift donorID onto into, the subscription it was redeemed
// into (the redemption, a term bought with gift renew, one paid after 3-D Secure), and records on the
// donor's subscription where the last term of the gift the recipient then holds ends
// (subscription.State.GiftTermsHeld): the donor's gift runs until that day (subscription.RecordGiftTerms).
// Both are appended in one commit (handleSides), so a crash or a failed append never leaves the recipient
// holding terms the donor's gift does not count, and the same command run again finds both landed. The end
// is read from the recipient's subscription as the command leaves it, not from the events decided in this
// attempt: on a store without eventstore.MultiAppender the recipient's terms may have landed in an attempt
// whose donor side lost a race (or a crash), and the attempt run again decides nothing on the recipient's
// side yet must still record the end. give must therefore name the gift on the phases it adds
// (Phase.GiftOf); the recipient's own terms after them are not counted. The sides also (a term's address
// attached, see attachedSides) are appended in the same commit.
func (c Subscriptions) giveGiftTerms(ctx context.Context, env Envelope, donorID, into int64,
	give func(subscription.State, time.Time) ([]subscription.Event, error), also ...side) (SubscriptionResult, error) {
	at := c.now()
	recipient := newSide(SubscriptionAggregate, strconv.FormatInt(into, 10), env,
		func(s subscription.State) ([]subscription.Event, error) { return give(s, at) })
	donor := newSide(SubscriptionAggregate, strconv.FormatInt(donorID, 10), env.derived("gift-terms"),
		func(s subscription.State) ([]subscription.Event, error) {
			// the recipient's side was prepared just before, in the same attempt: its stream, and what it decided
			held := subscription.EvolveAll(recipient.h.state, recipient.events).GiftTermsHeld(donorID)
			return subscription.RecordGiftTerms(s, held, at)
		})
	err := handleSides(ctx, c.Store, append([]side{recipient, donor}, also...)...)
	return SubscriptionResult{SubscriptionID: into, Result: recipient.done.Result}, err
}
