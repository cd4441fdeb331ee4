package stripe_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v85/webhook"

	"github.com/pelcro-oss/pelcro-api/internal/payments"
	"github.com/pelcro-oss/pelcro-api/internal/payments/stripe"
)

const webhookSecret = "whsec_test_0123456789"

// event is a delivery as Stripe sends it.
func event(eventType, object, id string) []byte {
	return fmt.Appendf(nil, `{"id":"evt_1","object":"event","api_version":"2020-08-27","type":%q,"data":{"object":{"id":%q,"object":%q,"status":"succeeded"}}}`,
		eventType, id, object)
}

// signed is the Stripe-Signature header for payload signed with secret at t.
func signed(payload []byte, secret string, at time.Time) string {
	return webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: payload, Secret: secret, Timestamp: at}).Header
}

func TestWebhooksTellWhichIntentSucceeded(t *testing.T) {
	t.Parallel()
	now := time.Now()
	paid := event("payment_intent.succeeded", "payment_intent", "pi_123")
	tests := []struct {
		name      string
		payload   []byte
		signature string
		secret    string
		want      stripe.Confirmation
		err       error
	}{
		{name: "a payment intent succeeded", payload: paid, signature: signed(paid, webhookSecret, now), secret: webhookSecret,
			want: stripe.Confirmation{IntentID: "pi_123", Kind: payments.PaymentIntent}},
		{name: "a setup intent succeeded", payload: event("setup_intent.succeeded", "setup_intent", "seti_9"),
			signature: signed(event("setup_intent.succeeded", "setup_intent", "seti_9"), webhookSecret, now), secret: webhookSecret,
			want: stripe.Confirmation{IntentID: "seti_9", Kind: payments.SetupIntent}},
		{name: "another event", payload: event("payment_intent.payment_failed", "payment_intent", "pi_123"),
			signature: signed(event("payment_intent.payment_failed", "payment_intent", "pi_123"), webhookSecret, now), secret: webhookSecret,
			err: stripe.ErrOtherEvent},
		{name: "signed with another secret", payload: paid, signature: signed(paid, "whsec_attacker", now), secret: webhookSecret, err: stripe.ErrBadSignature},
		{name: "a payload changed after signing", payload: event("payment_intent.succeeded", "payment_intent", "pi_666"),
			signature: signed(paid, webhookSecret, now), secret: webhookSecret, err: stripe.ErrBadSignature},
		{name: "a delivery replayed an hour later", payload: paid, signature: signed(paid, webhookSecret, now.Add(-time.Hour)), secret: webhookSecret, err: stripe.ErrBadSignature},
		{name: "no signature", payload: paid, signature: "", secret: webhookSecret, err: stripe.ErrBadSignature},
		{name: "no secret configured", payload: paid, signature: signed(paid, "", now), secret: "", err: stripe.ErrBadSignature},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			got, err := stripe.ParseWebhook(tt.payload, tt.signature, tt.secret)
			if !errors.Is(err, tt.err) || got != tt.want {
				t.Errorf("ParseWebhook = %+v, %v; want %+v, %v", got, err, tt.want, tt.err)
			}
		})
	}
}

func TestASignedButMalformedWebhookIsRefused(t *testing.T) {
	t.Parallel()
	for _, payload := range []string{
		`not json`,
		`{"object":"event","type":"payment_intent.succeeded"}`,
		`{"object":"event","type":"payment_intent.succeeded","data":{"object":{"object":"payment_intent"}}}`,
		`{"object":"event","type":"payment_intent.succeeded","data":{"object":{"id":"seti_1","object":"setup_intent"}}}`,
		`{"object":"event","type":"setup_intent.succeeded","data":{"object":{"id":7,"object":"setup_intent"}}}`,
	} {
		got, err := stripe.ParseWebhook([]byte(payload), signed([]byte(payload), webhookSecret, time.Now()), webhookSecret)
		if err == nil {
			t.Errorf("%s: accepted as %+v", payload, got)
		}
	}
}

func FuzzParseWebhook(f *testing.F) {
	f.Add(event("payment_intent.succeeded", "payment_intent", "pi_1"), true)
	f.Add(event("setup_intent.succeeded", "setup_intent", "seti_1"), false)
	f.Add([]byte(`{"object":"event","data":null}`), true)
	f.Fuzz(func(t *testing.T, payload []byte, signIt bool) {
		signature := "t=1,v1=00"
		if signIt {
			signature = signed(payload, webhookSecret, time.Now())
		}
		// whatever arrives, the parser answers without panicking, and only signed deliveries name an intent
		got, err := stripe.ParseWebhook(payload, signature, webhookSecret)
		if err == nil && (!signIt || got.IntentID == "" || got.Kind == "") {
			t.Fatalf("accepted %q (signed %v) as %+v", payload, signIt, got)
		}
	})
}
