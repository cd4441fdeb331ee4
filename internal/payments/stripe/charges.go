package stripe

import (
	"context"
	"fmt"
	"strings"

	stripeapi "github.com/stripe/stripe-go/v85"

	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// Charge takes the money with a PaymentIntent confirmed at once, on a saved card or a single-use token.
func (g *Gateway) Charge(ctx context.Context, req payments.ChargeRequest) (payments.Charge, error) {
	method := &stripeapi.PaymentMethod{ID: req.CardGatewayID}
	if req.CardGatewayID == "" {
		var err error
		if method, err = g.paymentMethod(ctx, req.Token, req.IdempotencyKey); err != nil {
			return payments.Charge{}, err
		}
	}
	params := &stripeapi.PaymentIntentCreateParams{
		Amount:             stripeapi.Int64(req.Amount.Amount),
		Currency:           stripeapi.String(req.Amount.Currency),
		PaymentMethod:      stripeapi.String(method.ID),
		PaymentMethodTypes: stripeapi.StringSlice([]string{"card"}),
		Confirm:            stripeapi.Bool(true),
	}
	if req.CustomerGatewayID != "" {
		params.Customer = stripeapi.String(req.CustomerGatewayID)
	}
	if req.Description != "" {
		params.Description = stripeapi.String(req.Description)
	}
	if req.SetUpCard {
		// the customer's authentication of this charge sets the saved card up for the renewals to come
		params.SetupFutureUsage = stripeapi.String("off_session")
	}
	// the charge tells which card paid (a saved card's details are not known here)
	params.AddExpand("latest_charge")
	params.SetIdempotencyKey(req.IdempotencyKey)
	intent, err := g.client.V1PaymentIntents.Create(ctx, params)
	if err != nil {
		return payments.Charge{}, failure(err, true)
	}
	return chargeOf(intent, method)
}

// chargeOf reads a confirmed PaymentIntent: succeeded took the money, requires_action waits for 3-D Secure,
// requires_payment_method was refused. Processing (rare for cards) is an outcome not known yet.
func chargeOf(intent *stripeapi.PaymentIntent, method *stripeapi.PaymentMethod) (payments.Charge, error) {
	if intent.PaymentMethod != nil && intent.PaymentMethod.ID != "" {
		// the card Stripe made of a test pm_card_…, with the details known before
		method = &stripeapi.PaymentMethod{ID: intent.PaymentMethod.ID, Card: method.Card}
	}
	charge := payments.Charge{
		GatewayID: intent.ID,
		Amount:    payments.Money{Amount: intent.Amount, Currency: strings.ToLower(string(intent.Currency))},
		Card:      chargedCard(intent.LatestCharge, method),
	}
	switch intent.Status {
	case stripeapi.PaymentIntentStatusSucceeded:
		return charge, nil
	case stripeapi.PaymentIntentStatusRequiresAction:
		charge.Intent = &payments.Intent{ID: intent.ID, Kind: payments.PaymentIntent, Status: payments.IntentRequiresAction, ClientSecret: intent.ClientSecret}
		return charge, nil
	case stripeapi.PaymentIntentStatusRequiresPaymentMethod, stripeapi.PaymentIntentStatusCanceled:
		if intent.LastPaymentError != nil {
			return payments.Charge{}, &payments.Declined{Reason: declineReason(intent.LastPaymentError)}
		}
		return payments.Charge{}, &payments.Declined{Reason: payments.CardDeclined}
	}
	return payments.Charge{}, fmt.Errorf("%w: stripe: payment intent %s is %s", payments.ErrUnavailable, intent.ID, intent.Status)
}

// chargedCard is the card a charge took money from, as the charge tells it; method is all there is before
// anything was charged.
func chargedCard(charge *stripeapi.Charge, method *stripeapi.PaymentMethod) payments.Card {
	if charge == nil || charge.PaymentMethodDetails == nil || charge.PaymentMethodDetails.Card == nil {
		return cardOf(method)
	}
	d := charge.PaymentMethodDetails.Card
	return cardOf(&stripeapi.PaymentMethod{ID: method.ID, Card: &stripeapi.PaymentMethodCard{
		Brand: d.Brand, Last4: d.Last4, ExpMonth: d.ExpMonth, ExpYear: d.ExpYear, Country: d.Country, Funding: d.Funding, Fingerprint: d.Fingerprint,
	}})
}

// Refund gives back part or all of a PaymentIntent's money (or of a legacy ch_ charge).
func (g *Gateway) Refund(ctx context.Context, req payments.RefundRequest) (payments.Refund, error) {
	params := &stripeapi.RefundCreateParams{Amount: stripeapi.Int64(req.Amount.Amount)}
	if strings.HasPrefix(req.ChargeGatewayID, "ch_") {
		params.Charge = stripeapi.String(req.ChargeGatewayID)
	} else {
		params.PaymentIntent = stripeapi.String(req.ChargeGatewayID)
	}
	params.SetIdempotencyKey(req.IdempotencyKey)
	refund, err := g.client.V1Refunds.Create(ctx, params)
	if err != nil {
		return payments.Refund{}, failure(err, false)
	}
	return payments.Refund{GatewayID: refund.ID, Amount: payments.Money{Amount: refund.Amount, Currency: strings.ToLower(string(refund.Currency))}}, nil
}
