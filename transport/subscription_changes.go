package transport

import (
	"context"
	"errors"
	"net/http"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// SubscriptionChangeCommands runs the renewals, plan changes and gifts (commands.Subscriptions).
type SubscriptionChangeCommands interface {
	Renew(ctx context.Context, env commands.Envelope, in commands.Renewal) (commands.SubscriptionResult, error)
	Change(ctx context.Context, env commands.Envelope, in commands.PlanChange) (commands.ChangedPlan, error)
	RenewGift(ctx context.Context, env commands.Envelope, in commands.GiftRenewal) (commands.SubscriptionResult, error)
	RedeemGift(ctx context.Context, env commands.Envelope, in commands.GiftRedemption) (commands.SubscriptionResult, error)
}

// subscriptionChangeHandlers serve spec #30, #31, #33 and #34. Each answers the Customer (whose
// subscriptions show the change) with a fresh token once the read models caught up.
type subscriptionChangeHandlers struct {
	walletHandlers
}

// renew is POST /subscription/renew (#30): every failure is 400 (rule 20) but a card's refusal, which is
// 404 as everywhere (docs/payments.md).
func (h subscriptionChangeHandlers) renew(w http.ResponseWriter, r *http.Request) {
	in := newRenewalInput(r)
	renewal := commands.Renewal{SubscriptionSale: in.sale(r, quantityOne), CampaignKey: in.text("campaign_key")}
	if in.params.Has("replace_upcoming_phases") {
		replace, ok := boolParam(in.params, "replace_upcoming_phases")
		if !ok {
			in.fail("replace_upcoming_phases", i18n.RenewalReplaceBoolean)
		}
		renewal.ReplaceUpcoming = replace
	}
	if in.refused(w, r) {
		return
	}
	result, err := h.deps.SubscriptionChanges.Renew(r.Context(), commandEnvelope(r, "subscription.renew"), renewal)
	h.finish(w, r, result, err, http.StatusBadRequest)
}

// change is POST /subscription/change (#31): validation is 400, business failures 404 (rule 21).
func (h subscriptionChangeHandlers) change(w http.ResponseWriter, r *http.Request) {
	in := newRenewalInput(r)
	change := commands.PlanChange{SubscriptionSale: in.sale(r, quantityKept)}
	if in.refused(w, r) {
		return
	}
	changed, err := h.deps.SubscriptionChanges.Change(r.Context(), commandEnvelope(r, "subscription.change"), change)
	h.finish(w, r, changed.SubscriptionResult, err, http.StatusNotFound)
}

// renewGift is POST /subscription/gift/renew (#33): the donor pays another term of a gift they gave;
// refusals are 400 as for renew.
func (h subscriptionChangeHandlers) renewGift(w http.ResponseWriter, r *http.Request) {
	in := newRenewalInput(r)
	renewal := commands.GiftRenewal{SubscriptionSale: in.sale(r, quantityRequired)}
	if in.refused(w, r) {
		return
	}
	result, err := h.deps.SubscriptionChanges.RenewGift(r.Context(), commandEnvelope(r, "subscription.gift_renew"), renewal)
	h.finish(w, r, result, err, http.StatusBadRequest)
}

// redeem is POST /gift/redeem (#34): a missing code is 400, an unknown one 404, a gift that cannot be
// redeemed (unpaid, redeemed, the caller's own, another currency, a target that cannot take it) 400.
func (h subscriptionChangeHandlers) redeem(w http.ResponseWriter, r *http.Request) {
	in := newRenewalInput(r)
	redemption := commands.GiftRedemption{Target: target(r), Code: in.text("gift_code"),
		AddressID:      in.id("address_id", false, i18n.RenewalAddressIDInteger),
		SubscriptionID: in.id("subscription_id", false, i18n.RenewalSubscriptionIDInteger)}
	if redemption.Code == "" && len(in.failures["gift_code"]) == 0 {
		in.fail("gift_code", i18n.Required("gift_code"))
	}
	if in.refused(w, r) {
		return
	}
	result, err := h.deps.SubscriptionChanges.RedeemGift(r.Context(), commandEnvelope(r, "subscription.gift_redeem"), redemption)
	if refusal, ok := giftRefusal(err); ok {
		writeError(w, r, refusal.status, refusal.message)
		return
	}
	h.finish(w, r, result, err, http.StatusBadRequest)
}

// finish answers a command: its refusal with business as the status of business failures, or the Customer
// once the read models it changed reflect it (subscriptionWait), with the payment intent in meta when the card
// asks for 3-D Secure (spec 1.10, as on create).
func (h subscriptionChangeHandlers) finish(w http.ResponseWriter, r *http.Request, result commands.SubscriptionResult,
	err error, business int) {
	if err != nil {
		h.refuseChange(w, r, err, business)
		return
	}
	if !awaitWrite(w, r, h.deps.Logger, h.deps.subscriptionWait(result), result.Written()) {
		return
	}
	var meta any
	if result.PaymentIntent != nil { // waits for 3-D Secure: nothing applied until the intent succeeds
		meta = subscriptionMeta{PaymentIntent: result.PaymentIntent}
	}
	h.answer(w, r, commands.CustomerResult{CustomerID: target(r).CustomerID}, freshToken, meta)
}

// giftRefusal is how redeem answers the refusals particular to gifts.
func giftRefusal(err error) (refusal, bool) {
	switch {
	case err == nil:
		return refusal{}, false
	case errors.Is(err, subscription.ErrNotGift):
		return refusal{http.StatusNotFound, i18n.GiftInvalid}, true
	case errors.Is(err, subscription.ErrNotFound):
		return refusal{http.StatusNotFound, i18n.SubscriptionNotFound}, true
	}
	return refusal{}, false
}
