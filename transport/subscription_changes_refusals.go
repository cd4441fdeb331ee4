package transport

import (
	"errors"
	"net/http"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// refusal is an answer to a refused command: its status and message.
type refusal struct {
	status  int
	message i18n.MessageID
}

// changeRefusals word the refusals of the renewal, change and gift commands (docs/subscriptions.md). The
// status of each is the endpoint's status for business failures.
var changeRefusals = []struct {
	err     error
	message i18n.MessageID
}{
	{subscription.ErrNotFound, i18n.SubscriptionNotFound},
	{subscription.ErrNotGift, i18n.GiftNotGiven},
	{commands.ErrPlanNotFound, i18n.SubscriptionPlanInvalid},
	{commands.ErrPlanNotOnSale, i18n.SubscriptionPlanInvalid},
	{commands.ErrCouponNotFound, i18n.SubscriptionCouponInvalid},
	{commands.ErrCouponNotForPlan, i18n.SubscriptionCouponNotForPlan},
	{commands.ErrAddressRequired, i18n.SubscriptionAddressRequired},
	{commands.ErrAddressNotFound, i18n.AddressNotFound},
	{commands.ErrNotAvailableInArea, i18n.SubscriptionNotAvailableInArea},
	{commands.ErrAddressMoved, i18n.SubscriptionAddressChanged},
	{subscription.ErrEnded, i18n.SubscriptionEnded},
	{subscription.ErrPaymentPending, i18n.SubscriptionPaymentPending},
	{subscription.ErrGiftDonor, i18n.RenewalGiftDonor},
	{subscription.ErrGiftRecipient, i18n.RenewalGiftRecipient},
	{subscription.ErrGiftRenewalUnpaid, i18n.RenewalGiftPaymentRequired},
	{subscription.ErrTooManyPhases, i18n.RenewalTooManyPhases},
	{subscription.ErrPhasesPaid, i18n.RenewalPhasesPaid},
	{subscription.ErrCurrencyMismatch, i18n.SubscriptionCurrencyMismatch},
	{subscription.ErrSamePlan, i18n.RenewalSamePlan},
	{subscription.ErrInGiftTerm, i18n.RenewalInGiftTerm},
	{subscription.ErrGiftUnpaid, i18n.GiftUnpaid},
	{subscription.ErrGiftRedeemed, i18n.GiftAlreadyRedeemed},
	{subscription.ErrOwnGift, i18n.GiftOwn},
	{subscription.ErrInvoiceUnpaid, i18n.GiftTargetUnpaid},
	{subscription.ErrGiftTermRefunded, i18n.GiftTermRefunded},
	{commands.ErrPaymentMeansRequired, i18n.RenewalPaymentRequired},
	{commands.ErrProrationMoved, i18n.RenewalChangedMeanwhile},
	{commands.ErrPurchaseRefunded, i18n.RenewalPurchaseRefunded},
	{commands.ErrPurchaseAbandoned, i18n.RenewalPurchaseAbandoned},
}

// refuseChange answers a refusal: the aggregate's value rules as field errors (400), the business failures
// above with status business, card refusals and gateway failures as for cards, anything else 500.
func (h subscriptionChangeHandlers) refuseChange(w http.ResponseWriter, r *http.Request, err error, business int) {
	var problems subscription.Problems
	if errors.As(err, &problems) {
		failures := fieldErrors{}
		for _, p := range problems {
			failures[p.Field] = []i18n.MessageID{renewalFieldMessage(p)}
		}
		writeValidation(w, r, failures)
		return
	}
	for _, known := range changeRefusals {
		if errors.Is(err, known.err) {
			writeError(w, r, business, known.message)
			return
		}
	}
	if errors.Is(err, commands.ErrSourceAwaitingAuthentication) {
		writeError(w, r, http.StatusNotFound, i18n.PaymentMethodPending)
		return
	}
	if errors.Is(err, commands.ErrSourceNotFound) {
		writeError(w, r, http.StatusNotFound, i18n.PaymentMethodNotFound)
		return
	}
	h.refuseCard(w, r, err)
}

// renewalFieldMessage words a broken value rule of the subscription aggregate on a field these endpoints
// take (quantity, campaign_key, coupon_code): one message per field says what the field must be; the other
// rules (a period too large for one charge, characters not allowed) are worded as create words them.
func renewalFieldMessage(p subscription.Problem) i18n.MessageID {
	switch {
	case p.Field == "campaign_key":
		return i18n.RenewalCampaignKeyFormat
	case p.Rule == subscription.RuleQuantity:
		return i18n.RenewalQuantityRange
	}
	return i18n.SubscriptionInvalid(string(p.Rule))
}
