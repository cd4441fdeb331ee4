package transport

import (
	"context"
	"errors"
	"net/http"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// SubscriptionCommands runs the subscription writes (commands.Subscriptions).
type SubscriptionCommands interface {
	Create(ctx context.Context, env commands.Envelope, in commands.NewSubscription) (commands.CreatedSubscription, error)
	Cancel(ctx context.Context, env commands.Envelope, in commands.Cancellation) (commands.SubscriptionResult, error)
	Reactivate(ctx context.Context, env commands.Envelope, who commands.Target, id int64) (commands.SubscriptionResult, error)
}

// subscriptionHandlers serve spec 2.4 #27–#29. Every answer is the Customer (whose subscriptions,
// invoices and cards show the change) with a fresh token.
type subscriptionHandlers struct {
	walletHandlers
}

// subscriptionMeta is the "meta" block of a creation whose first charge or card waits for 3-D Secure
// (spec 1.10): the intents the front end completes.
type subscriptionMeta struct {
	PaymentIntent *payments.Intent `json:"payment_intent,omitempty"`
	SetupIntent   *payments.Intent `json:"setup_intent,omitempty"`
}

// create is POST /subscription (#27).
func (h subscriptionHandlers) create(w http.ResponseWriter, r *http.Request) {
	in, failures := subscriptionInput(requestParams(r))
	if len(failures) > 0 {
		writeValidation(w, r, failures)
		return
	}
	in.Target = target(r)
	created, err := h.deps.SubscriptionCommands.Create(r.Context(), commandEnvelope(r, "subscription.create"), in)
	if err != nil {
		h.refuseSubscription(w, r, err)
		return
	}
	var meta any
	if created.PaymentIntent != nil || created.SetupIntent != nil {
		meta = subscriptionMeta{PaymentIntent: created.PaymentIntent, SetupIntent: created.SetupIntent}
	}
	h.answerSubscription(w, r, created.SubscriptionResult, meta)
}

// cancel is POST /subscription/cancel (#28).
func (h subscriptionHandlers) cancel(w http.ResponseWriter, r *http.Request) {
	params, failures := requestParams(r), fieldErrors{}
	id, ok := h.subscriptionID(w, r, params, failures)
	if !ok {
		return
	}
	in := commands.Cancellation{Target: target(r), SubscriptionID: id,
		Mode:   subscription.CancelMode(subscriptionText(params, "mode", failures)),
		Reason: subscriptionText(params, "reason", failures)}
	if len(failures) > 0 { // the answer names every bad field: the value rules' too, on the fields read well
		problems := subscription.Cancel{Mode: in.Mode, Reason: in.Reason}.Problems()
		for field, messages := range subscriptionFieldErrors(problems) {
			if _, malformed := failures[field]; !malformed {
				failures[field] = messages
			}
		}
		writeValidation(w, r, failures)
		return
	}
	result, err := h.deps.SubscriptionCommands.Cancel(r.Context(), commandEnvelope(r, "subscription.cancel"), in)
	if err != nil {
		h.refuseSubscription(w, r, err)
		return
	}
	h.answerSubscription(w, r, result, nil)
}

// reactivate is POST /subscription/reactivate (#29).
func (h subscriptionHandlers) reactivate(w http.ResponseWriter, r *http.Request) {
	failures := fieldErrors{}
	id, ok := h.subscriptionID(w, r, requestParams(r), failures)
	if !ok {
		return
	}
	if len(failures) > 0 {
		writeValidation(w, r, failures)
		return
	}
	result, err := h.deps.SubscriptionCommands.Reactivate(r.Context(), commandEnvelope(r, "subscription.reactivate"),
		target(r), id)
	if err != nil {
		h.refuseSubscription(w, r, err)
		return
	}
	h.answerSubscription(w, r, result, nil)
}

// subscriptionID reads the required subscription_id. Missing is a 404 with its message (spec #28, #29), and
// an integer that is not positive or too large names no subscription (404), both answered here (false).
// Anything else that is no integer is a failure of the field, reported with the body's others as renew
// and change report it.
func (h subscriptionHandlers) subscriptionID(w http.ResponseWriter, r *http.Request, params Params,
	failures fieldErrors) (int64, bool) {
	id, _, err := params.Integer("subscription_id", true)
	switch {
	case errors.Is(err, errIntegerRequired):
		writeError(w, r, http.StatusNotFound, i18n.Required("subscription_id"))
		return 0, false
	case errors.Is(err, errNotInteger):
		failures["subscription_id"] = []i18n.MessageID{i18n.RenewalSubscriptionIDInteger}
	case err != nil || id <= 0:
		writeError(w, r, http.StatusNotFound, i18n.SubscriptionNotFound)
		return 0, false
	}
	return id, true
}

// answerSubscription waits until the read models the command changed reflect it (subscriptionWait), then
// answers the Customer with a fresh token.
func (h subscriptionHandlers) answerSubscription(w http.ResponseWriter, r *http.Request,
	result commands.SubscriptionResult, meta any) {
	if !awaitWrite(w, r, h.deps.Logger, h.deps.subscriptionWait(result), result.Written()) {
		return
	}
	h.answer(w, r, commands.CustomerResult{CustomerID: target(r).CustomerID}, freshToken, meta)
}

// subscriptionWait is read-your-writes for a subscription command: the subscriptions read model, and the
// invoices and payment methods ones unless the command wrote neither (result.SubscriptionOnly). Each
// projection is waited for on its own, so a free-plan creation no longer waits for the slowest of three.
//
// A SubscriptionOnly answer may therefore show invoices and cards older than its log position: an invoice
// a gateway webhook paid a moment before, say, may still read open. That is acceptable because only the
// command's own writes are promised: those others are not the client's (or, if the client made them, their
// own answer already waited for them), so the answer reads as if the request had come a moment earlier, and
// the next read shows them.
//
// Warning: the invoice and card events of a paid creation come before its subscription.created in the log,
// but another projection reaching that position says nothing about them: never drop a wait on that ground.
func (d Dependencies) subscriptionWait(result commands.SubscriptionResult) commands.ReadModelWait {
	if result.SubscriptionOnly {
		return d.WaitForSubscriptions
	}
	return func(ctx context.Context, written commands.Written) error {
		for _, wait := range []commands.ReadModelWait{d.WaitForSubscriptions, d.WaitForInvoices, d.WaitForWallet} {
			if err := wait(ctx, written); err != nil {
				return err
			}
		}
		return nil
	}
}

// subscriptionRefusals word the refusals of the subscription commands, all 404 with a message (rules 16,
// 18, 19; docs/subscriptions.md).
var subscriptionRefusals = []struct {
	err     error
	message i18n.MessageID
}{
	{commands.ErrPlanNotFound, i18n.SubscriptionPlanInvalid},
	{commands.ErrPlanNotOnSale, i18n.SubscriptionPlanInvalid},
	{commands.ErrNotAvailableInArea, i18n.SubscriptionNotAvailableInArea},
	{commands.ErrCouponNotFound, i18n.SubscriptionCouponInvalid},
	{commands.ErrCouponNotForPlan, i18n.SubscriptionCouponNotForPlan},
	{commands.ErrAddressRequired, i18n.SubscriptionAddressRequired},
	{commands.ErrAddressNotFound, i18n.AddressNotFound},
	{commands.ErrAddressMoved, i18n.SubscriptionAddressChanged},
	{subscription.ErrCurrencyMismatch, i18n.SubscriptionCurrencyMismatch},
	{commands.ErrPaymentMeansRequired, i18n.SubscriptionPaymentRequired},
	{commands.ErrSendInvoiceNotAllowed, i18n.SubscriptionSendInvoiceNotAllowed},
	{commands.ErrSourceAwaitingAuthentication, i18n.PaymentMethodPending}, // before ErrSourceNotFound, which it matches
	{commands.ErrSourceNotFound, i18n.PaymentMethodNotFound},
	{subscription.ErrNotFound, i18n.SubscriptionNotFound},
	{subscription.ErrEnded, i18n.SubscriptionEnded},
	{subscription.ErrGiftRecipient, i18n.SubscriptionGift},
	{subscription.ErrGiftDonor, i18n.SubscriptionGift}, // cancelling a gift given (redeemed, or not now)
	{subscription.ErrPaymentPending, i18n.SubscriptionPaymentPending},
	{subscription.ErrImmediateCancellationDisabled, i18n.SubscriptionImmediateDisabled},
	{subscription.ErrNotAutoRenew, i18n.SubscriptionNotAutoRenew},
	{subscription.ErrNotCanceling, i18n.SubscriptionNotCanceling},
}

// refuseSubscription answers a subscription command's refusal: broken value rules 400, business refusals
// 404 with their message, declines and gateway failures as for cards.
func (h subscriptionHandlers) refuseSubscription(w http.ResponseWriter, r *http.Request, err error) {
	if problems, ok := errors.AsType[aggregates.FieldProblems](err); ok {
		writeValidation(w, r, subscriptionFieldErrors(problems))
		return
	}
	if errors.Is(err, customer.ErrNotRegistered) { // the token's customer is not (any more) in this account
		writeError(w, r, http.StatusUnauthorized, i18n.TokenInvalid)
		return
	}
	for _, refusal := range subscriptionRefusals {
		if errors.Is(err, refusal.err) {
			writeError(w, r, http.StatusNotFound, refusal.message)
			return
		}
	}
	h.refuseCard(w, r, err)
}
