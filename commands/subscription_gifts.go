package commands

import (
	"context"
	"errors"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// GiftRenewal is POST /subscription/gift/renew (#33): the donor of the gift SubscriptionID pays now for
// another term of the sale's plan for its recipient.
type GiftRenewal struct {
	SubscriptionSale
}

// RenewGift bills the donor for another term of the gift, paid at once (with Payment, else the donor's
// saved card), then gives it: a gift already redeemed gets the term as a phase of the subscription it was
// redeemed into (its end moves with it, see subscription.AddGiftPhase); a gift not redeemed yet keeps the
// term on the donor's subscription, and the recipient gets it on top of the first term when redeeming.
// Everything the subscriptions could refuse is decided before the donor is charged. A card asking for
// 3-D Secure gives nothing yet: the answer carries the payment intent, and RecordInvoicePaid gives the term
// once the invoice is paid. Refusals:
// subscription.ErrNotFound (not the caller's), subscription.ErrNotGift (not a gift they gave), the
// aggregate's, the Pricer's and the payment refusals of billNow.
func (c Subscriptions) RenewGift(ctx context.Context, env Envelope, in GiftRenewal) (SubscriptionResult, error) {
	defer c.lock(in.SubscriptionID)()
	donor, sale, err := c.sell(ctx, in.SubscriptionSale)
	if err != nil {
		return SubscriptionResult{}, err
	}
	if donor.Type != subscription.TypeGiftDonor {
		return SubscriptionResult{}, subscription.ErrNotGift
	}
	if donor.Awaiting != nil { // a term waits for 3-D Secure
		return SubscriptionResult{}, subscription.ErrPaymentPending
	}
	term, at := phaseOf(sale, in.Quantity), c.now()
	if _, err := c.giveTerm(ctx, env, donor, term, at, false); err != nil {
		return SubscriptionResult{}, err // refused before the donor is charged
	}
	bill := saleInvoice(sale, term, in.CustomerID, donor.ID, "Gift renewal", donor.LastPeriodEnd())
	billed, err := c.billNow(ctx, env, in.Target, bill, in.Payment, donor.Payment)
	if err != nil {
		return SubscriptionResult{}, err
	}
	term.PaidBy = billed.InvoiceID
	if billed.Intent != nil {
		return c.awaitPayment(ctx, env, donor.ID, subscription.Purchase{Kind: subscription.PurchaseGiftTerm,
			InvoiceID: billed.InvoiceID, Phase: &term, At: at}, billed.Intent)
	}
	return c.giveTerm(ctx, env, donor, term, at, true)
}

// giveTerm decides (and, when record, records) the gift term paid for: on the subscription the gift was
// redeemed into, or on the donor's until it is. A redemption that lands between the check and the record
// is found by reading the donor again.
func (c Subscriptions) giveTerm(ctx context.Context, env Envelope, donor subscription.State,
	term subscription.Phase, at time.Time, record bool) (SubscriptionResult, error) {
	onDonor := func(s subscription.State, _ time.Time) ([]subscription.Event, error) {
		return subscription.ExtendGift(s, term, at)
	}
	result, err := SubscriptionResult{}, error(nil)
	if !donor.GiftRedeemed {
		if !record {
			_, err := onDonor(donor, at)
			return result, err
		}
		result, err = c.handle(ctx, env, donor.ID, onDonor)
		if !errors.Is(err, subscription.ErrGiftRedeemed) {
			return result, err
		}
		if donor, err = c.Read(ctx, donor.ID); err != nil {
			return result, err
		}
	}
	recipientTerm := term
	recipientTerm.AddressID = 0 // the recipient's address, not the donor's
	onRecipient := func(s subscription.State, _ time.Time) ([]subscription.Event, error) {
		return subscription.AddGiftPhase(s, recipientTerm, at)
	}
	if !record {
		recipient, err := c.Read(ctx, donor.RedeemedInto)
		if err != nil {
			return result, err
		}
		_, err = onRecipient(recipient, at)
		return result, err
	}
	return c.handle(ctx, env, donor.RedeemedInto, onRecipient)
}
