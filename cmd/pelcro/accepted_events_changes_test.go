package main

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"pgregory.net/rapid"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
	"github.com/pelcro-oss/pelcro-api/internal/payments/sandbox"
)

// changeRefusals are the answers renew, change, gift renew and redeem may give instead of writing.
var changeRefusals = append([]error{subscription.ErrTooManyPhases, subscription.ErrPhasesPaid, subscription.ErrGiftDonor, subscription.ErrSamePlan,
	subscription.ErrNotGift, subscription.ErrGiftUnpaid, subscription.ErrGiftRedeemed, subscription.ErrOwnGift,
	subscription.ErrInvoiceUnpaid,
	subscription.ErrGiftRenewalUnpaid, commands.ErrCouponNotFound,
	commands.ErrProrationMoved, invoice.ErrVoid}, subscriptionRefusals...)

// runSubscriptionChanges renews, changes and gives terms of the subscriptions held, redeems their gift
// codes (a drawn one among them), with drawn values and the sandbox's test cards, completes the 3-D Secure
// of purchases that wait for it, and lets the billing clock expire those (and new subscriptions) nobody
// completed.
func (w *propertyWorld) runSubscriptionChanges(subscriptions commands.Subscriptions, held []commands.Cancellation) {
	t := w.t
	if len(held) == 0 {
		return
	}
	var awaiting []string // the payment intents of purchases waiting for 3-D Secure
	for i := range rapid.IntRange(1, 10).Draw(t, "change steps") {
		env := commands.Envelope{CommandID: fmt.Sprint("subscription-change-", i)}
		c := rapid.SampledFrom(held).Draw(t, "subscription changed")
		sale := commands.SubscriptionSale{Target: c.Target, SubscriptionID: c.SubscriptionID,
			PlanID: rapid.Int64Range(1, 4).Draw(t, "plan"), Quantity: rapid.Int64Range(-1, 3).Draw(t, "quantity"),
			CouponCode: rapid.SampledFrom([]string{"", "NONE"}).Draw(t, "coupon"),
			Payment: commands.SubscriptionPayment{Token: rapid.SampledFrom([]string{"", "tok_visa",
				"tok_threeDSecure2Required", "tok_chargeDeclined"}).Draw(t, "token")}}
		var err error
		var bought commands.SubscriptionResult
		switch rapid.IntRange(0, 5).Draw(t, "change action") {
		case 0:
			bought, err = subscriptions.Renew(t.Context(), env, commands.Renewal{SubscriptionSale: sale,
				CampaignKey: text().Draw(t, "campaign key"), ReplaceUpcoming: rapid.Bool().Draw(t, "replace")})
		case 1:
			var changed commands.ChangedPlan
			changed, err = subscriptions.Change(t.Context(), env, commands.PlanChange{SubscriptionSale: sale})
			bought = changed.SubscriptionResult
		case 2:
			bought, err = subscriptions.RenewGift(t.Context(), env, commands.GiftRenewal{SubscriptionSale: sale})
		case 3:
			err = w.redeemDrawn(subscriptions, env, held)
		case 4:
			w.now = w.now.Add(subscription.PaymentDeadline)
			_, err = subscriptions.BillDue(t.Context(), c.SubscriptionID, w.now, nil)
			w.refused("billing past a payment's deadline", err, append(invoiceRefusals, subscriptionRefusals...)...)
			err = nil
		default:
			err = w.completeDrawn(subscriptions, env, awaiting)
		}
		if bought.PaymentIntent != nil {
			awaiting = append(awaiting, bought.PaymentIntent.ID)
		}
		if _, declined := errors.AsType[*payments.Declined](err); declined {
			err = nil
		}
		w.refused("subscription change", err, changeRefusals...)
		w.now = w.now.Add(time.Duration(rapid.IntRange(0, 90*24).Draw(t, "hours later")) * time.Hour)
	}
}

// redeemDrawn redeems the code of a subscription held (a gift's, or none) or a drawn code, by a customer
// holding a subscription, into a new subscription or onto one they hold.
func (w *propertyWorld) redeemDrawn(subscriptions commands.Subscriptions, env commands.Envelope,
	held []commands.Cancellation) error {
	t := w.t
	gift, err := subscriptions.Read(t.Context(), rapid.SampledFrom(held).Draw(t, "gift").SubscriptionID)
	if err != nil {
		return err
	}
	who := rapid.SampledFrom(held).Draw(t, "recipient")
	in := commands.GiftRedemption{Target: who.Target,
		Code: rapid.SampledFrom([]string{gift.GiftCode, "GIFT-ABCD-EFGH", "nope"}).Draw(t, "gift code")}
	if rapid.Bool().Draw(t, "onto a subscription held") {
		in.SubscriptionID = who.SubscriptionID
	}
	_, err = subscriptions.RedeemGift(t.Context(), env, in)
	return err
}

// completeDrawn completes the 3-D Secure of a purchase waiting for it (none when there is none) and records
// its invoice paid as the reactor does, so the purchase is applied or settled unapplied.
func (w *propertyWorld) completeDrawn(subscriptions commands.Subscriptions, env commands.Envelope, awaiting []string) error {
	if len(awaiting) == 0 {
		return nil
	}
	id := rapid.SampledFrom(awaiting).Draw(w.t, "intent completed")
	if _, err := sandbox.New(w.deps.ReadModels.DB).Confirm(w.t.Context(), id); err != nil {
		return err
	}
	confirmed, err := subscriptions.Invoices.Intents.Confirm(w.t.Context(), env, id)
	if err != nil {
		return err
	}
	_, owner, _ := strings.Cut(confirmed.Owner, "-") // invoice-<id>
	invoiceID, err := strconv.ParseInt(owner, 10, 64)
	if err != nil {
		return err
	}
	bill, err := subscriptions.Invoices.Read(w.t.Context(), invoiceID)
	if err != nil || bill.Status != invoice.StatusPaid {
		return err
	}
	env.CommandID += ":paid"
	_, err = subscriptions.RecordInvoicePaid(w.t.Context(), env, invoiceID, bill.Total)
	return err
}
