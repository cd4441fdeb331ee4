package stripe

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	stripeapi "github.com/stripe/stripe-go/v85"

	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// AttachCard saves the card with a SetupIntent confirmed at once: Stripe checks the card (a refusal is a
// card_error, nothing is saved), attaches it to the customer, or asks for 3-D Secure (requires_action).
func (g *Gateway) AttachCard(ctx context.Context, req payments.AttachCardRequest) (payments.AttachedCard, error) {
	customer, err := g.customer(ctx, req.Customer)
	if err != nil {
		return payments.AttachedCard{}, err
	}
	method, err := g.paymentMethod(ctx, req.Token, req.IdempotencyKey)
	if err != nil {
		return payments.AttachedCard{}, err
	}
	params := &stripeapi.SetupIntentCreateParams{
		Customer:           stripeapi.String(customer),
		PaymentMethod:      stripeapi.String(method.ID),
		PaymentMethodTypes: stripeapi.StringSlice([]string{"card"}),
		Usage:              stripeapi.String("off_session"),
		Confirm:            stripeapi.Bool(true),
	}
	params.SetIdempotencyKey(req.IdempotencyKey)
	setup, err := g.client.V1SetupIntents.Create(ctx, params)
	if err != nil {
		return payments.AttachedCard{}, failure(err, true)
	}
	var intent *payments.Intent
	switch setup.Status {
	case stripeapi.SetupIntentStatusSucceeded:
	case stripeapi.SetupIntentStatusRequiresAction:
		intent = &payments.Intent{ID: setup.ID, Kind: payments.SetupIntent, Status: payments.IntentRequiresAction, ClientSecret: setup.ClientSecret}
	case stripeapi.SetupIntentStatusRequiresPaymentMethod:
		if setup.LastSetupError != nil {
			return payments.AttachedCard{}, &payments.Declined{Reason: declineReason(setup.LastSetupError)}
		}
		return payments.AttachedCard{}, &payments.Declined{Reason: payments.CardDeclined}
	default:
		return payments.AttachedCard{}, fmt.Errorf("%w: stripe: setup intent %s is %s", payments.ErrUnavailable, setup.ID, setup.Status)
	}
	if method.Card == nil {
		// A pm_… the front end sent (Stripe makes a test pm_card_… into a card of the customer's own): the
		// saved card is the one the setup intent names, its details one GET away.
		if setup.PaymentMethod != nil && setup.PaymentMethod.ID != "" {
			method.ID = setup.PaymentMethod.ID
		}
		if method, err = g.client.V1PaymentMethods.Retrieve(ctx, method.ID, nil); err != nil {
			return payments.AttachedCard{}, failure(err, false)
		}
	}
	return payments.AttachedCard{CustomerGatewayID: customer, Card: cardOf(method), Intent: intent}, nil
}

// customer returns the customer's Stripe id, creating the Stripe customer the first time. The creation's
// key derives from our id and the email, so two first cards saved at once make one Stripe customer.
func (g *Gateway) customer(ctx context.Context, c payments.Customer) (string, error) {
	if c.GatewayID != "" {
		return c.GatewayID, nil
	}
	params := &stripeapi.CustomerCreateParams{Metadata: map[string]string{"pelcro_customer_id": strconv.FormatInt(c.ID, 10)}}
	if c.Email != "" {
		params.Email = stripeapi.String(c.Email)
	}
	email := sha256.Sum256([]byte(c.Email))
	params.SetIdempotencyKey("pelcro-customer-" + strconv.FormatInt(c.ID, 10) + "-" + hex.EncodeToString(email[:8]))
	created, err := g.client.V1Customers.Create(ctx, params)
	if err != nil {
		return "", failure(err, false)
	}
	return created.ID, nil
}

// paymentMethod turns what the front end sent into a payment method: a pm_… (including Stripe's test
// pm_card_…) is one already, whose details are not known here; a single-use tok_… becomes one, and Stripe
// answers with the card's details. Anything else is an invalid token, refused without asking Stripe.
func (g *Gateway) paymentMethod(ctx context.Context, token, idempotencyKey string) (*stripeapi.PaymentMethod, error) {
	if !stripeToken.MatchString(token) {
		return nil, &payments.Declined{Reason: payments.InvalidToken}
	}
	if strings.HasPrefix(token, "pm_") {
		return &stripeapi.PaymentMethod{ID: token}, nil
	}
	params := &stripeapi.PaymentMethodCreateParams{Type: stripeapi.String("card"), Card: &stripeapi.PaymentMethodCreateCardParams{Token: stripeapi.String(token)}}
	params.SetIdempotencyKey(idempotencyKey + "/payment-method")
	method, err := g.client.V1PaymentMethods.Create(ctx, params)
	if err != nil {
		return nil, failure(err, true)
	}
	return method, nil
}

// stripeToken is what a token the customer's browser got from Stripe looks like: its prefix, then letters,
// digits and underscores. Anything else (a NUL, a space, a slash) names nothing at Stripe and must be
// refused here: sent on, it can fail the request before Stripe answers, which reads as an outage, and the
// customer would be told to retry a token that never works.
var stripeToken = regexp.MustCompile(`^(tok|pm)_[A-Za-z0-9_]+$`)

// cardOf is what Stripe told of a payment method's card.
func cardOf(method *stripeapi.PaymentMethod) payments.Card {
	card := method.Card
	if card == nil {
		return payments.Card{GatewayID: method.ID}
	}
	return payments.Card{
		GatewayID:   method.ID,
		Brand:       string(card.Brand),
		Last4:       card.Last4,
		ExpMonth:    int(card.ExpMonth),
		ExpYear:     int(card.ExpYear),
		Country:     card.Country,
		Funding:     string(card.Funding),
		Fingerprint: card.Fingerprint,
	}
}
