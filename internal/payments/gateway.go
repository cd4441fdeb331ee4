// Package payments is the API's port to payment processors: saving a card from a single-use token, charging
// a saved card or a token, refunding, and following a 3-D Secure intent until the customer completes it.
// Adapters live in sub-packages (the deterministic sandbox, Stripe); one contract suite runs against each.
//
// Money crosses this port as integer minor units with a lowercase ISO 4217 currency, never as floats.
//
// Every mutation carries an idempotency key that the caller derives from what it pays or saves (an invoice id
// and attempt number, a command id): a gateway answers a repeated key with the first outcome and never charges
// twice, so a call retried after a timeout or a crash is safe. Changing how a caller derives its keys can
// charge a customer twice: keep them stable across releases.
package payments

import "context"

// Gateway is one payment processor as the commands see it. Implementations must be safe for concurrent use.
type Gateway interface {
	// Name is the value of `payment_gateway` this gateway serves ("stripe").
	Name() string
	// AttachCard saves the card a single-use token stands for under the customer (creating the customer at
	// the gateway when Customer.GatewayID is empty). A card that needs 3-D Secure comes back with a
	// requires_action Intent and is not chargeable until that intent succeeds. A refused card returns a
	// *Declined and is not saved.
	AttachCard(ctx context.Context, req AttachCardRequest) (AttachedCard, error)
	// Charge takes money from a saved card or a single-use token. A charge that needs 3-D Secure comes back
	// with a requires_action Intent and has taken nothing yet. A refusal returns a *Declined.
	Charge(ctx context.Context, req ChargeRequest) (Charge, error)
	// Refund gives back all or part of a succeeded charge.
	Refund(ctx context.Context, req RefundRequest) (Refund, error)
	// Intent reports where a 3-D Secure intent stands, so a caller told of a confirmation (a webhook, the
	// sandbox's confirm command, the 3-D Secure return page) can check it with the gateway before acting.
	Intent(ctx context.Context, id string) (Intent, error)
}

// Money is an amount in minor units (cents) of a lowercase ISO 4217 currency ("usd").
type Money struct {
	Amount   int64  `json:"amount"`
	Currency string `json:"currency"`
}

// Customer names our customer and, once known, the gateway's record of them.
type Customer struct {
	ID        int64  // ours
	GatewayID string // the gateway's (Stripe's cus_…); empty until the first card is attached
	Email     string
}

// AttachCardRequest asks to save the card a token stands for.
type AttachCardRequest struct {
	Customer       Customer
	Token          string // tok_…, pm_card_… or the gateway's payment method id
	IdempotencyKey string
}

// AttachedCard is a card saved at the gateway.
type AttachedCard struct {
	CustomerGatewayID string
	Card              Card
	// Intent is set when the card needs 3-D Secure before it can be charged (status requires_action).
	Intent *Intent
}

// Card is what a gateway tells about a saved card (the `properties` of a payment method resource).
type Card struct {
	GatewayID   string `json:"object_id"` // pm_… / card_…
	Brand       string `json:"brand"`     // visa, mastercard, amex, …
	Last4       string `json:"last4"`
	ExpMonth    int    `json:"exp_month"`
	ExpYear     int    `json:"exp_year"`
	Country     string `json:"country,omitempty"`
	Funding     string `json:"funding,omitempty"`
	Fingerprint string `json:"fingerprint,omitempty"`
}

// ChargeRequest asks to take Amount from a saved card (CardGatewayID) or a single-use Token.
type ChargeRequest struct {
	CustomerGatewayID string
	CardGatewayID     string
	Token             string
	Amount            Money
	Description       string
	// IdempotencyKey must be derived from what is paid (e.g. "invoice-42-attempt-1"), never random.
	IdempotencyKey string
	// SetUpCard asks that the customer authenticating this charge of a saved card (its 3-D Secure) also sets
	// the card up for later charges, as its own setup intent would (Stripe's setup_future_usage=off_session):
	// for a card saved a moment ago whose setup intent is still waiting, so one challenge is enough.
	SetUpCard bool
}

// Charge is the gateway's answer to a ChargeRequest.
type Charge struct {
	GatewayID string // ch_… / pi_…
	Amount    Money
	Card      Card
	// Intent is set when the charge needs 3-D Secure; nothing was taken until it succeeds.
	Intent *Intent
}

// RefundRequest gives back Amount of a succeeded charge.
type RefundRequest struct {
	ChargeGatewayID string
	Amount          Money
	IdempotencyKey  string
}

// Refund is a succeeded refund.
type Refund struct {
	GatewayID string
	Amount    Money
}
