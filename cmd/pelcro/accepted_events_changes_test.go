package main

import (
	"errors"
	"fmt"
	"time"

	"pgregory.net/rapid"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// changeRefusals are the answers renew, change, gift renew and redeem may give instead of writing.
var changeRefusals = append([]error{subscription.ErrTooManyPhases, subscription.ErrPhasesPaid, subscription.ErrGiftDonor, subscription.ErrSamePlan,
	subscription.ErrNotGift, subscription.ErrGiftUnpaid, subscription.ErrGiftRedeemed, commands.ErrCouponNotFound,
	commands.ErrAuthenticationRequired, commands.ErrProrationMoved, invoice.ErrVoid}, subscriptionRefusals...)

// runSubscriptionChanges renews, changes and gives terms of the subscriptions held, and redeems their gift
// codes (a drawn one among them), with drawn values and the sandbox's test cards.
func (w *propertyWorld) runSubscriptionChanges(subscriptions commands.Subscriptions, held []commands.Cancellation) {
	t := w.t
	if len(held) == 0 {
		return
	}
	for i := range rapid.IntRange(1, 10).Draw(t, "change steps") {
		env := commands.Envelope{CommandID: fmt.Sprint("subscription-change-", i)}
		c := rapid.SampledFrom(held).Draw(t, "subscription changed")
		sale := commands.SubscriptionSale{Target: c.Target, SubscriptionID: c.SubscriptionID,
			PlanID: rapid.Int64Range(1, 4).Draw(t, "plan"), Quantity: rapid.Int64Range(-1, 3).Draw(t, "quantity"),
			CouponCode: rapid.SampledFrom([]string{"", "NONE"}).Draw(t, "coupon"),
			Payment: commands.SubscriptionPayment{Token: rapid.SampledFrom([]string{"", "tok_visa",
				"tok_threeDSecure2Required", "tok_chargeDeclined"}).Draw(t, "token")}}
		var err error
		switch rapid.IntRange(0, 3).Draw(t, "change action") {
		case 0:
			_, err = subscriptions.Renew(t.Context(), env, commands.Renewal{SubscriptionSale: sale,
				CampaignKey: text().Draw(t, "campaign key"), ReplaceUpcoming: rapid.Bool().Draw(t, "replace")})
		case 1:
			_, err = subscriptions.Change(t.Context(), env, commands.PlanChange{SubscriptionSale: sale})
		case 2:
			_, err = subscriptions.RenewGift(t.Context(), env, commands.GiftRenewal{SubscriptionSale: sale})
		default:
			err = w.redeemDrawn(subscriptions, env, held)
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
