package paymentstest

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// canceledIntentStaysCanceled: a payment intent canceled before the customer completed it can no longer
// take money, and one completed first is answered succeeded by the cancellation.
func (s suite) canceledIntentStaysCanceled(t *testing.T) {
	canceler, ok := s.Gateway.(payments.IntentCanceler)
	if !ok {
		t.Skip("the gateway cannot cancel intents")
	}
	charge := func(call string) payments.Intent {
		c, err := s.Gateway.Charge(t.Context(), payments.ChargeRequest{Token: "tok_threeDSecure2Required",
			Amount: usd(900), IdempotencyKey: s.key(t, call)})
		if err != nil || c.Intent == nil {
			t.Fatalf("charge %s = %+v (%v), want a payment intent", call, c, err)
		}
		return *c.Intent
	}
	// given a 3-D Secure charge nobody completed, when it is canceled (twice), then it is canceled
	waiting := charge("abandoned")
	for range 2 {
		if got, err := canceler.CancelPaymentIntent(t.Context(), waiting.ID); err != nil || got.Status != payments.IntentCanceled {
			t.Fatalf("cancel = %+v (%v), want canceled", got, err)
		}
	}
	// and the customer completing it afterwards takes nothing
	if s.Confirm != nil {
		_ = s.Confirm(t.Context(), waiting.ID)
		if got, err := s.Gateway.Intent(t.Context(), waiting.ID); err != nil || got.Status != payments.IntentCanceled {
			t.Errorf("intent completed after its cancellation = %+v (%v), want canceled", got, err)
		}
		// given one the customer completed first, when it is canceled, then the answer is that it succeeded
		completed := charge("completed")
		s.confirm(t, completed.ID)
		if got, err := canceler.CancelPaymentIntent(t.Context(), completed.ID); err != nil || got.Status != payments.IntentSucceeded {
			t.Errorf("cancel of a completed intent = %+v (%v), want succeeded", got, err)
		}
	}
}
