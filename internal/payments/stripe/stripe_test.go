package stripe_test

import (
	"errors"
	"net"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/payments"
	"github.com/pelcro-oss/pelcro-api/internal/payments/paymentstest"
	"github.com/pelcro-oss/pelcro-api/internal/payments/stripe"
)

// gatewayAt is the adapter pointed at base, as PELCRO_STRIPE_API_BASE does.
func gatewayAt(base string) *stripe.Gateway {
	return stripe.New(stripe.Config{SecretKey: "sk_test_123", APIBase: base})
}

// closedPort is an address nothing listens on.
func closedPort(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return "http://" + addr
}

func TestStripeKeepsTheGatewayContractOnStripeMock(t *testing.T) {
	t.Parallel()
	paymentstest.Run(t, paymentstest.Target{
		Gateway:     gatewayAt(succeeding.url(t)),
		Unreachable: gatewayAt(closedPort(t)),
	})
}

func TestACardNeedingAuthenticationAnswersAnIntent(t *testing.T) {
	t.Parallel()
	// given Stripe asking for 3-D Secure on every intent
	g := gatewayAt(requiringAction.url(t))
	ctx := t.Context()
	tests := []struct {
		name string
		call func() (*payments.Intent, error)
		kind payments.IntentKind
	}{
		{"saving a card", func() (*payments.Intent, error) {
			card, err := g.AttachCard(ctx, payments.AttachCardRequest{Customer: payments.Customer{ID: 7}, Token: "tok_threeDSecure2Required", IdempotencyKey: "save-7"})
			return card.Intent, err
		}, payments.SetupIntent},
		{"charging a card", func() (*payments.Intent, error) {
			charge, err := g.Charge(ctx, payments.ChargeRequest{Token: "tok_threeDSecure2Required", Amount: payments.Money{Amount: 900, Currency: "usd"}, IdempotencyKey: "charge-7"})
			return charge.Intent, err
		}, payments.PaymentIntent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			// when the card is saved or charged
			intent, err := tt.call()
			// then the answer is an intent the front end completes with its client secret
			if err != nil || intent == nil || intent.Kind != tt.kind || intent.Status != payments.IntentRequiresAction || intent.ClientSecret == "" || intent.ID == "" {
				t.Fatalf("intent = %+v (%v), want a %s requiring action", intent, err, tt.kind)
			}
			// and the gateway reports it waiting when asked
			if got, err := g.Intent(ctx, intent.ID); err != nil || got.Status != payments.IntentRequiresAction || got.Kind != tt.kind {
				t.Errorf("Intent(%s) = %+v (%v), want it requiring action", intent.ID, got, err)
			}
		})
	}
}

func TestIntentsReportWhatStripeSays(t *testing.T) {
	t.Parallel()
	g := gatewayAt(succeeding.url(t))
	tests := []struct {
		id   string
		want payments.Intent
		err  error
	}{
		{id: "pi_123", want: payments.Intent{ID: "pi_123", Kind: payments.PaymentIntent, Status: payments.IntentSucceeded}},
		{id: "seti_123", want: payments.Intent{ID: "seti_123", Kind: payments.SetupIntent, Status: payments.IntentSucceeded}},
		{id: "ch_123", err: payments.ErrUnknownIntent},
		{id: "", err: payments.ErrUnknownIntent},
	}
	for _, tt := range tests {
		t.Run(tt.id, func(t *testing.T) {
			got, err := g.Intent(t.Context(), tt.id)
			if tt.err != nil {
				if !errors.Is(err, tt.err) {
					t.Fatalf("error %v, want %v", err, tt.err)
				}
				return
			}
			got.ClientSecret = ""
			if err != nil || got != tt.want {
				t.Errorf("Intent(%s) = %+v (%v), want %+v", tt.id, got, err, tt.want)
			}
		})
	}
}

func TestCancelingAPaymentIntentAnswersWhereStripeLeftIt(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		mock *mock
		want payments.IntentStatus
	}{
		// stripe-mock answers every intent in one status: the one the cancellation reports
		{"an intent the customer completed first stays succeeded", succeeding, payments.IntentSucceeded},
		{"an intent still waiting is reported as Stripe answers it", requiringAction, payments.IntentRequiresAction},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// given a Stripe gateway
			var g payments.IntentCanceler = gatewayAt(tt.mock.url(t))
			// when a payment intent is canceled
			got, err := g.CancelPaymentIntent(t.Context(), "pi_123")
			// then the answer is the intent's status as Stripe gave it
			if err != nil || got.Status != tt.want || got.Kind != payments.PaymentIntent {
				t.Errorf("cancel = %+v (%v), want a payment intent %s", got, err, tt.want)
			}
		})
	}
	// and an id that names no payment intent is unknown, without asking Stripe
	if _, err := gatewayAt("http://127.0.0.1:1").CancelPaymentIntent(t.Context(), "seti_123"); !errors.Is(err, payments.ErrUnknownIntent) {
		t.Errorf("cancel seti_123: %v, want ErrUnknownIntent", err)
	}
}
