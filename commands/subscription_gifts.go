package commands

import (
	"context"
	"errors"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
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
// The invoice's period is the term bought: from the end of the last term the gift's holder has (see
// termHolder). Everything the subscriptions could refuse is decided before the donor is charged. A card
// asking for 3-D Secure gives nothing yet: the answer carries the payment intent, and RecordInvoicePaid
// gives the term once the invoice is paid. The donor's subscription takes the sale's address on the
// customer's stream in the commit that gives the term (or records the purchase awaiting 3-D Secure), never
// before: a gift renewal refused, declined included, attaches nothing. Refusals:
// subscription.ErrNotFound (not the caller's), subscription.ErrNotGift (not a gift they gave), the
// aggregate's (subscription.ErrInvoiceUnpaid for a recipient's subscription owing an invoice, see
// subscription.AddGiftPhase), the Pricer's, the payment refusals of billNow and attachAddress's. A refusal
// that comes only after the donor paid (a renewal from another server got in between, or the address
// changed country or state, or went, while the donor's card was charged: ErrAddressMoved,
// ErrAddressNotFound) refunds the payment at once (recordPaidPurchase), or gives up the invoice awaiting
// 3-D Secure (awaitPayment): a charge is a term given or a refund recorded on its invoice. The same command
// again after its charge is not refused by the checks before it (refusedBeforeCharge): it goes on to its
// invoice paid, and after such a refund answers ErrPurchaseRefunded.
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
	if given, landed, err := c.giftTermLanded(ctx, env, donor); landed || err != nil {
		return given, err
	}
	term, at := phaseOf(sale), c.now()
	holder, err := c.termHolder(ctx, donor)
	if err != nil {
		return SubscriptionResult{}, err
	}
	if _, err := giftTermOn(donor.ID, term, at)(holder, at); err != nil {
		if _, err = c.refusedBeforeCharge(ctx, env, err); err != nil {
			return SubscriptionResult{}, err // refused before the donor is charged
		}
	}
	bill := saleInvoice(sale, term, in.CustomerID, donor.ID, "Gift renewal", holder.LastPeriodEnd())
	billed, err := c.billNow(ctx, env, in.Target, bill, in.Payment, savedPayment(donor))
	if err != nil {
		return SubscriptionResult{}, err
	}
	term.PaidBy = billed.InvoiceID
	if billed.Intent != nil {
		return c.awaitPayment(ctx, env, in.Target, donor.ID, sale, subscription.Purchase{Kind: subscription.PurchaseGiftTerm,
			InvoiceID: billed.InvoiceID, Phase: &term, At: at}, billed.Intent)
	}
	paid := subscription.Purchase{Kind: subscription.PurchaseGiftTerm, InvoiceID: billed.InvoiceID}
	return c.recordPaidPurchase(ctx, env, paid, total(bill), func() (SubscriptionResult, error) {
		return c.giveTerm(ctx, env, in.Target, donor, sale, term, at)
	})
}

// termHolder is the subscription a gift term bought now goes to: the donor's own until the gift is
// redeemed, then the one it was redeemed into. The term starts where the holder's last term ends, so a
// second term bought starts where the first one ends.
func (c Subscriptions) termHolder(ctx context.Context, donor subscription.State) (subscription.State, error) {
	if !donor.GiftRedeemed {
		return donor, nil
	}
	return c.Read(ctx, donor.RedeemedInto)
}

// giftTermOn decides the gift term on its holder: ExtendGift on the donor's own subscription (id donorID),
// AddGiftPhase, at the recipient's address rather than the donor's, on the one the gift was redeemed into.
func giftTermOn(donorID int64, term subscription.Phase,
	at time.Time) func(subscription.State, time.Time) ([]subscription.Event, error) {
	recipientTerm := term
	recipientTerm.AddressID, recipientTerm.GiftOf = 0, donorID
	return func(s subscription.State, _ time.Time) ([]subscription.Event, error) {
		if s.ID == donorID {
			return subscription.ExtendGift(s, term, at)
		}
		return subscription.AddGiftPhase(s, recipientTerm, at)
	}
}

// giveTerm records the gift term paid for: on the subscription the gift was redeemed into, or on the
// donor's until it is, and in the same commit attaches the donor's subscription to the address of sale, the
// term's (see handleAttached). A redemption that lands between the check and the record is found by
// reading the donor again. A term whose invoice was refunded as refused already (a retry of a request
// refused after its charge, past the idempotency replay) is refused before (recordPaidPurchase):
// subscription.ErrGiftTermRefunded.
func (c Subscriptions) giveTerm(ctx context.Context, env Envelope, who Target, donor subscription.State,
	sale Sale, term subscription.Phase, at time.Time) (SubscriptionResult, error) {
	give := giftTermOn(donor.ID, term, at)
	if !donor.GiftRedeemed {
		result, err := c.handleAttached(ctx, env, who, donor.ID, sale, give)
		if !errors.Is(err, subscription.ErrGiftRedeemed) {
			return result, err
		}
		if donor, err = c.Read(ctx, donor.ID); err != nil {
			return result, err
		}
	}
	result, err := c.giveGiftTerms(ctx, env, donor.ID, donor.RedeemedInto, give,
		attachedSides(env, who, donor.ID, sale, c.now())...)
	return result, attachRefusal(err)
}

// giftTermLanded is the answer to a gift renewal sent again whose term this command already gave: on the
// donor's own subscription, or on the one the gift was redeemed into, where giveGiftTerms records it under
// the command's id (landed false when it gave none). The checks that follow cannot recognise it: they look at
// the subscription that holds the gift's terms now, which the redemption may have moved since, and the
// retry would give the term again, or refuse it and refund a term given.
func (c Subscriptions) giftTermLanded(ctx context.Context, env Envelope, donor subscription.State) (
	SubscriptionResult, bool, error) {
	if env.NewCommandID { // a command id drawn for this call never ran before
		return SubscriptionResult{}, false, nil
	}
	for _, id := range []int64{donor.ID, donor.RedeemedInto} {
		if id == 0 {
			continue
		}
		h, err := load(ctx, c.Store, SubscriptionAggregate, subscriptionStream(id), env.CommandID)
		if err != nil {
			return SubscriptionResult{}, false, err
		}
		if h.landed != nil {
			return c.landedGiftTerm(ctx, env, SubscriptionResult{SubscriptionID: id, Result: *h.landed})
		}
	}
	return SubscriptionResult{}, false, nil
}

// landedGiftTerm is the answer to a gift renewal whose command landed (given, the answer it gave; landed
// true), unless what landed was its term awaiting 3-D Secure, since given up or refused: its invoice void,
// for the checks to answer that it was given up (landed false), or its payment refunded as refused
// (ErrGiftTermRefunded). Warning: answering given for those would tell the donor a term was bought that
// nobody holds.
func (c Subscriptions) landedGiftTerm(ctx context.Context, env Envelope, given SubscriptionResult) (
	SubscriptionResult, bool, error) {
	bill, billed, err := c.billedBefore(ctx, env)
	switch {
	case err != nil:
		return SubscriptionResult{}, true, err
	case !billed:
		return given, true, nil
	case bill.Status == invoice.StatusVoid:
		return SubscriptionResult{}, false, nil
	}
	if _, refunded := bill.RefundedUnder(refusedPurchaseKey(subscription.Purchase{Kind: subscription.PurchaseGiftTerm,
		InvoiceID: bill.ID})); refunded {
		return SubscriptionResult{}, true, subscription.ErrGiftTermRefunded
	}
	return given, true, nil
}
