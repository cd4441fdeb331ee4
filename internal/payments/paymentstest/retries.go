package paymentstest

import (
	"context"
	"errors"
	"sync"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

func (s suite) retriedChargeAnswersTheFirst(t *testing.T) {
	card := s.attach(t, "tok_visa")
	key := s.key(t, "invoice-7-attempt-1")
	// given a charge that went through
	first, err := s.Gateway.Charge(t.Context(), chargeOf(card, usd(1200), key))
	if err != nil {
		t.Fatal(err)
	}
	// when it is sent again with the same key
	again, err := s.Gateway.Charge(t.Context(), chargeOf(card, usd(1200), key))
	// then the answer is the first charge
	if err != nil || again.GatewayID != first.GatewayID || again.Amount != first.Amount {
		t.Fatalf("retry = %+v (%v), want %+v", again, err, first)
	}
}

func (s suite) chargeRetriedAfterTimeout(t *testing.T) {
	card := s.attach(t, "tok_visa")
	flaky := &timesOutAfterCharging{Gateway: s.Gateway}
	key := s.key(t, "invoice-8-attempt-1")
	// given a charge the gateway took but whose answer was lost
	if _, err := flaky.Charge(t.Context(), chargeOf(card, usd(3000), key)); !errors.Is(err, payments.ErrUnavailable) {
		t.Fatalf("first attempt: %v, want payments.ErrUnavailable", err)
	}
	// when the caller retries with the same key
	retry, err := s.Gateway.Charge(t.Context(), chargeOf(card, usd(3000), key))
	// then it is told of the charge already taken
	if err != nil || retry.GatewayID != flaky.lost.GatewayID || retry.Amount != usd(3000) {
		t.Fatalf("retry = %+v (%v), want the lost charge %+v", retry, err, flaky.lost)
	}
}

// timesOutAfterCharging is a gateway whose first charge goes through but whose answer is lost on the way
// back, as with a timeout after the processor charged.
type timesOutAfterCharging struct {
	payments.Gateway
	once sync.Once
	lost payments.Charge
}

func (g *timesOutAfterCharging) Charge(ctx context.Context, req payments.ChargeRequest) (payments.Charge, error) {
	charge, err := g.Gateway.Charge(ctx, req)
	timedOut := false
	g.once.Do(func() { g.lost, timedOut = charge, err == nil })
	if timedOut {
		return payments.Charge{}, payments.ErrUnavailable
	}
	return charge, err
}
