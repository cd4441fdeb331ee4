package stripe

import (
	"context"
	"errors"
	"fmt"
	"strings"

	stripeapi "github.com/stripe/stripe-go/v85"

	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// Intent asks Stripe where a SetupIntent (seti_…) or PaymentIntent (pi_…) stands. An intent whose
// authentication failed (back to requires_payment_method) is reported canceled: it will not complete, the
// customer starts again with a new request.
func (g *Gateway) Intent(ctx context.Context, id string) (payments.Intent, error) {
	var status string
	intent := payments.Intent{ID: id}
	var err error
	switch {
	case strings.HasPrefix(id, "seti_"):
		var setup *stripeapi.SetupIntent
		if setup, err = g.client.V1SetupIntents.Retrieve(ctx, id, nil); err == nil {
			intent.Kind, status, intent.ClientSecret = payments.SetupIntent, string(setup.Status), setup.ClientSecret
		}
	case strings.HasPrefix(id, "pi_"):
		var payment *stripeapi.PaymentIntent
		if payment, err = g.client.V1PaymentIntents.Retrieve(ctx, id, nil); err == nil {
			intent.Kind, status, intent.ClientSecret = payments.PaymentIntent, string(payment.Status), payment.ClientSecret
		}
	default:
		return payments.Intent{}, fmt.Errorf("%w: %q", payments.ErrUnknownIntent, id)
	}
	var apiErr *stripeapi.Error
	if errors.As(err, &apiErr) && apiErr.Code == stripeapi.ErrorCodeResourceMissing {
		return payments.Intent{}, fmt.Errorf("%w: %q", payments.ErrUnknownIntent, id)
	}
	if err != nil {
		return payments.Intent{}, failure(err, false)
	}
	intent.Status = intentStatus(status)
	return intent, nil
}

// intentStatus is the port's name for the status Stripe gives an intent.
func intentStatus(status string) payments.IntentStatus {
	switch status {
	case "succeeded":
		return payments.IntentSucceeded
	case "canceled", "requires_payment_method":
		return payments.IntentCanceled
	}
	return payments.IntentRequiresAction
}

// CancelPaymentIntent cancels a PaymentIntent the customer has not completed (payments.IntentCanceler).
// Stripe refuses to cancel one that succeeded (or was canceled already): the intent is then asked where it
// stands, so the caller learns it succeeded and records the payment.
func (g *Gateway) CancelPaymentIntent(ctx context.Context, id string) (payments.Intent, error) {
	if !strings.HasPrefix(id, "pi_") {
		return payments.Intent{}, fmt.Errorf("%w: %q", payments.ErrUnknownIntent, id)
	}
	canceled, err := g.client.V1PaymentIntents.Cancel(ctx, id, nil)
	if err == nil {
		return payments.Intent{ID: id, Kind: payments.PaymentIntent, Status: intentStatus(string(canceled.Status)),
			ClientSecret: canceled.ClientSecret}, nil
	}
	var apiErr *stripeapi.Error
	if !(errors.As(err, &apiErr) && apiErr.Code == stripeapi.ErrorCodePaymentIntentUnexpectedState) {
		if apiErr != nil && apiErr.Code == stripeapi.ErrorCodeResourceMissing {
			return payments.Intent{}, fmt.Errorf("%w: %q", payments.ErrUnknownIntent, id)
		}
		return payments.Intent{}, failure(err, false)
	}
	return g.Intent(ctx, id)
}
