package commands

import (
	"context"
	"strings"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// GiftRedemption is POST /gift/redeem (#34): the caller redeems the gift of Code, into a new subscription
// of their own or, with SubscriptionID, as phases of an existing one; AddressID follows the gift plan's
// address rules.
type GiftRedemption struct {
	Target
	Code           string
	AddressID      int64
	SubscriptionID int64
}

// RedeemGift redeems a gift once (rule 17). The donor's subscription records the redemption first, decided
// on its revision, so of two customers redeeming one code at the same time exactly one wins; then the
// recipient's subscription is created (a gift_recipient subscription of the gift plan, free through
// subscription.GiftCoupon, set to end after the terms given) or the target gets the terms as phases. The
// same recipient redeeming again finishes a redemption cut half-way and changes nothing otherwise. The
// donor's gift then records where the terms given end (giveGiftTerms).
// The gift's currency becomes the customer's when they have none yet (see fixCurrency).
// Refusals: subscription.ErrNotGift (a malformed or unknown code), ErrGiftUnpaid, ErrOwnGift (the donor),
// ErrGiftRedeemed, ErrEnded, ErrCurrencyMismatch (the customer's or the target's), subscription.ErrNotFound
// (a target not the caller's), the target's refusals (subscription.State.GiftTarget: ErrInvoiceUnpaid for
// one owing an invoice) and the Pricer's address rules.
func (c Subscriptions) RedeemGift(ctx context.Context, env Envelope, in GiftRedemption) (SubscriptionResult, error) {
	code := strings.ToUpper(strings.TrimSpace(in.Code))
	found, err := c.GiftByCode(ctx, code)
	if err != nil {
		return SubscriptionResult{}, err
	}
	defer c.lock(found.ID)()
	donor, err := c.Read(ctx, found.ID) // again, under the lock
	switch {
	case err != nil:
		return SubscriptionResult{}, err
	case donor.AccountID != in.AccountID:
		return SubscriptionResult{}, subscription.ErrNotGift
	}
	if err := donor.RedeemableBy(in.CustomerID); err != nil {
		return SubscriptionResult{}, err // before anything is recorded, the customer's currency included
	}
	// The gift plan's address rules (rule 17), priced only for them: the donor paid.
	sale, err := c.Pricer.Price(ctx, SaleRequest{Target: in.Target, PlanID: donor.Terms.PlanID,
		Quantity: donor.Quantity, AddressID: in.AddressID})
	if err != nil {
		return SubscriptionResult{}, err
	}
	into, target, err := c.redemptionTarget(ctx, in, donor)
	if err != nil {
		return SubscriptionResult{}, err
	}
	free := subscription.GiftCoupon
	recipient := subscription.New{SubscriptionID: into, CustomerID: in.CustomerID, AccountID: in.AccountID,
		SiteID: in.SiteID, Terms: donor.Terms, Quantity: donor.Quantity, Coupon: &free, AddressID: sale.AddressID,
		Billing: subscription.BillingChargeAutomatically, Paid: true, GiftOf: donor.ID}
	at := c.now()
	if _, err := subscription.Redeemed(target, donor, recipient, at); err != nil {
		return SubscriptionResult{}, err // refused before the gift is spent
	}
	if err := c.attachAddress(ctx, env, in.Target, into, sale); err != nil {
		return SubscriptionResult{}, err
	}
	undoCurrency, err := c.fixCurrency(ctx, ctx, env, in.Target, donor.Terms.Currency)
	if err != nil {
		return SubscriptionResult{}, err
	}
	if _, err := c.handle(ctx, env.derived("donor"), donor.ID, func(s subscription.State, _ time.Time) ([]subscription.Event, error) {
		// The terms given are the gift's as the redemption is recorded on it, not as read above: a term
		// settled meanwhile (paid after 3-D Secure, by another process) is on it; one settled after it is
		// given by the settlement (giveAwaitedTerm). Warning: giving the terms read above loses such a term.
		donor = s
		return subscription.RedeemGift(s, in.CustomerID, into, at)
	}); err != nil {
		undoCurrency()
		return SubscriptionResult{}, err
	}
	return c.giveGiftTerms(ctx, env, donor.ID, into, func(s subscription.State, _ time.Time) ([]subscription.Event, error) {
		return subscription.Redeemed(s, donor, recipient, at)
	})
}

// redemptionTarget is the subscription the gift goes into and its state: the caller's own subscription
// named by the request (checked: the caller's, in the gift's currency), the one an earlier redemption by
// the same caller chose, or a new id.
func (c Subscriptions) redemptionTarget(ctx context.Context, in GiftRedemption, donor subscription.State) (int64, subscription.State, error) {
	if in.SubscriptionID != 0 {
		target, err := c.Read(ctx, in.SubscriptionID)
		switch {
		case err != nil:
			return 0, target, err
		case !target.BelongsTo(in.CustomerID, in.AccountID):
			return 0, target, subscription.ErrNotFound
		case target.Terms.Currency != donor.Terms.Currency:
			return 0, target, subscription.ErrCurrencyMismatch
		}
		return in.SubscriptionID, target, nil
	}
	if donor.GiftRedeemed {
		target, err := c.Read(ctx, donor.RedeemedInto)
		return donor.RedeemedInto, target, err
	}
	id, err := c.IDs.Next(ctx)
	return id, subscription.State{}, err
}
