package stripe

import (
	"errors"
	"fmt"

	stripeapi "github.com/stripe/stripe-go/v85"
	"github.com/stripe/stripe-go/v85/webhook"

	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// SignatureHeader is the header Stripe signs a webhook delivery in.
const SignatureHeader = "Stripe-Signature"

// ErrBadSignature is a delivery that is not provably Stripe's, or is older than stripe-go's tolerance (five
// minutes, against replays): answer 400 and act on nothing in it.
var ErrBadSignature = errors.New("stripe webhook: signature missing, wrong or too old")

// ErrOtherEvent is a genuine event the API does not act on: answer 2xx so Stripe stops sending it.
var ErrOtherEvent = errors.New("stripe webhook: not an intent that succeeded")

// Confirmation is Stripe telling that a customer completed a 3-D Secure intent.
type Confirmation struct {
	IntentID string
	Kind     payments.IntentKind
}

// succeededEvents are the events that confirm an intent, with the object each carries.
var succeededEvents = map[stripeapi.EventType]payments.IntentKind{
	"payment_intent.succeeded": payments.PaymentIntent,
	"setup_intent.succeeded":   payments.SetupIntent,
}

// ParseWebhook verifies a delivery's signature (the Stripe-Signature header) with the endpoint's signing
// secret (PELCRO_STRIPE_WEBHOOK_SECRET, whsec_…) and reads which intent succeeded. An empty secret verifies
// nothing: every delivery is refused rather than trusted.
//
// Stripe delivers at least once and in any order: the caller must treat a confirmation as a hint, check
// the intent with Gateway.Intent and complete it idempotently.
func ParseWebhook(payload []byte, signature, secret string) (Confirmation, error) {
	if secret == "" {
		return Confirmation{}, fmt.Errorf("%w: no webhook secret configured", ErrBadSignature)
	}
	if err := webhook.ValidatePayload(payload, signature, secret); err != nil {
		return Confirmation{}, fmt.Errorf("%w: %w", ErrBadSignature, err)
	}
	// The account's API version may differ from stripe-go's: only the type and the object's id and kind are
	// read, which every version spells alike.
	event, err := webhook.ConstructEventWithOptions(payload, signature, secret, webhook.ConstructEventOptions{IgnoreAPIVersionMismatch: true})
	if err != nil {
		return Confirmation{}, fmt.Errorf("stripe webhook: %w", err)
	}
	kind, ok := succeededEvents[event.Type]
	if !ok {
		return Confirmation{}, fmt.Errorf("%w: %s", ErrOtherEvent, event.Type)
	}
	var object map[string]any
	if event.Data != nil {
		object = event.Data.Object
	}
	id, _ := object["id"].(string)
	if objectKind, _ := object["object"].(string); id == "" || objectKind != string(kind) {
		return Confirmation{}, fmt.Errorf("stripe webhook: %s event %s carries no %s", event.Type, event.ID, kind)
	}
	return Confirmation{IntentID: id, Kind: kind}, nil
}
