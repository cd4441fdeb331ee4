package transport

import (
	"errors"
	"io"
	"net/http"
	"strconv"

	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
	"github.com/pelcro-oss/pelcro-api/internal/payments/stripe"
)

// StripeWebhookPath is where Stripe delivers the events of the endpoint the operator registered
// (payment_intent.succeeded, setup_intent.succeeded).
const StripeWebhookPath = "/webhook/stripe"

// webhookReceived is the answer to a delivery Stripe need not send again.
type webhookReceived struct {
	Received bool `json:"received"`
}

// stripeWebhook confirms the intent a signed delivery says succeeded. Stripe retries every answer but 2xx
// for days, so: a bad signature is 400 (never acted on), an event we do not act on or an intent nobody here
// registered is 200, and a confirmation that could not complete (the gateway does not say succeeded yet,
// it did not answer, our store failed) is 5xx so that Stripe delivers it again. The delivery is only a
// hint: the entry point asks the gateway where the intent stands before completing it.
func (h intentHandlers) stripeWebhook(w http.ResponseWriter, r *http.Request) {
	if h.deps.Intents == nil {
		internalError(w, r, h.deps.Logger, "intents not configured", nil)
		return
	}
	payload, err := io.ReadAll(r.Body)
	if err != nil {
		writeError(w, r, http.StatusBadRequest, i18n.BodyUnreadable)
		return
	}
	confirmation, err := stripe.ParseWebhook(payload, r.Header.Get(stripe.SignatureHeader), h.deps.StripeWebhookSecret)
	switch {
	case errors.Is(err, stripe.ErrOtherEvent):
		writeJSON(w, http.StatusOK, webhookReceived{Received: true})
		return
	case err != nil:
		writeError(w, r, http.StatusBadRequest, i18n.WebhookSignatureInvalid)
		return
	}
	confirmed, err := h.deps.Intents.Confirm(r.Context(), confirmEnvelope(r, confirmation.IntentID, "gateway:stripe"),
		confirmation.IntentID)
	switch {
	case err == nil:
		// Answered once the read models show it, so a front end told by the same event sees it too.
		if awaitWrite(w, r, h.deps.Logger, h.deps.WaitForConfirmation, confirmed.Written()) {
			writeJSON(w, http.StatusOK, webhookReceived{Received: true})
		}
	case errors.Is(err, payments.ErrUnknownIntent):
		writeJSON(w, http.StatusOK, webhookReceived{Received: true})
	case errors.Is(err, commands.ErrIntentNotSucceeded) || errors.Is(err, payments.ErrUnavailable):
		w.Header().Set("Retry-After", strconv.Itoa(writeRetryAfter))
		writeError(w, r, http.StatusServiceUnavailable, i18n.GatewayUnavailable)
	default:
		internalError(w, r, h.deps.Logger, "confirming an intent from a webhook", err)
	}
}
