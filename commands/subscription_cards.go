package commands

import (
	"context"
	"errors"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
)

// A card a subscription would charge next cannot be deleted (spec #42, rule 23): the wallet records which
// subscriptions were created with each card (wallet.SetUse), set when a subscription is created with a card
// and cleared when it ends for good, and keeps such a card while it has no chargeable default that the
// subscription would charge instead (wallet.State.InUse, savedPayment).

// UseCard records that the subscription subscriptionID pays with the customer's card cardID (inUse), or no
// longer does. A card that is gone (deleted meanwhile, or not the customer's) has nothing to record: the
// zero result and no error, so neither a creation whose card was deleted after it was charged nor the release
// of a deleted card fails on it.
func (w Wallets) UseCard(ctx context.Context, env Envelope, t Target, cardID, subscriptionID int64,
	inUse bool) (WalletResult, error) {
	result, err := w.handle(ctx, env, t, cardID, func(s wallet.State, at time.Time) ([]wallet.Event, error) {
		return wallet.SetUse(s, cardID, subscriptionID, inUse, at)
	})
	if errors.Is(err, wallet.ErrNotFound) {
		return WalletResult{CustomerID: t.CustomerID, PaymentMethodID: cardID}, nil
	}
	return result, err
}

// holdCard marks the new subscription's card as in use. Create calls it after the first period is billed
// (a declined card holds nothing) and before the subscription is recorded, so the mark comes first in the
// log and an answer that waits for the subscription's position sees it in the payment methods too.
//
// Warning: a crash between the two appends leaves the card held by a subscription that was never recorded
// (it cannot be deleted) until the same command is retried, which records the subscription. The other
// order would leave a running subscription whose card can be deleted, and its renewals failing.
func (c Subscriptions) holdCard(ctx context.Context, env Envelope, who Target, create subscription.New) error {
	if !holdsCard(create.Type(), create.Payment) {
		return nil
	}
	_, err := c.Wallets.UseCard(ctx, env.derived("card-use"), who, create.Payment.SourceID, create.SubscriptionID, true)
	return err
}

// SyncCard records on the wallet whether the subscription's card is in use, as the subscription stands now:
// held while it runs, or is unpaid (paying its open invoice makes it active again), freed once it was
// canceled or expired. The reactor subscription_cards.v1 calls it on every creation and end, so it also
// holds the cards of subscriptions created before creations held them, or whose hold a crash lost.
func (c Subscriptions) SyncCard(ctx context.Context, env Envelope, id int64) (WalletResult, error) {
	s, err := c.Read(ctx, id)
	if err != nil || !holdsCard(s.Type, s.Payment) {
		return WalletResult{}, err
	}
	inUse := !s.Ended() || s.Status == subscription.StatusUnpaid
	owner := Target{CustomerID: s.CustomerID, AccountID: s.AccountID}
	return c.Wallets.UseCard(ctx, env, owner, s.Payment.SourceID, id, inUse)
}

// holdsCard tells whether a subscription of that type paying so holds its card. A gift given holds none:
// nothing charges the donor unasked (a gift renew names its card, or falls back to this one while it
// exists), and the donor's subscription never ends, so its card would be held for ever.
//
// A subscription that holds its card charges it only when the customer has no chargeable default
// (savedPayment), and the wallet keeps the card from deletion only then (wallet.State.InUse): the two
// rules stand on this one predicate, so a card that may be deleted is never one a subscription charges.
func holdsCard(t subscription.Type, p subscription.Payment) bool {
	return p.SourceID != 0 && t != subscription.TypeGiftDonor
}

// savedPayment is what subscription s charges when nobody names a card, the one rule of every such charge
// (the billing clock's renewal or dunning retry, a change or renewal paid now without a means): the
// customer's default card while it is chargeable, and the subscription's own card otherwise (0: none), as
// Stripe charges a customer's default (so making another card the default, PUT /payment_methods/{id} or POST
// /source, changes the card renewals charge); a gift given charges only the card it was paid with. The
// wallet decides between the two when the charge reads it (Invoices.means, wallet.State.ChargedInstead).
func savedPayment(s subscription.State) SubscriptionPayment {
	return SubscriptionPayment{SourceID: s.Payment.SourceID, defaultFirst: s.Type != subscription.TypeGiftDonor}
}
