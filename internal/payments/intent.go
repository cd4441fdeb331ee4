package payments

import "context"

// IntentKind tells whether a 3-D Secure intent saves a card or takes money.
type IntentKind string

const (
	SetupIntent   IntentKind = "setup_intent"
	PaymentIntent IntentKind = "payment_intent"
)

// IntentStatus follows Stripe's names for the states a front end acts on.
type IntentStatus string

const (
	IntentRequiresAction IntentStatus = "requires_action"
	IntentSucceeded      IntentStatus = "succeeded"
	IntentCanceled       IntentStatus = "canceled"
)

// Intent is a 3-D Secure authentication the customer must complete in the front end (with ClientSecret)
// before the card it saves becomes chargeable or the money it takes is taken.
type Intent struct {
	ID           string       `json:"id"`
	Kind         IntentKind   `json:"object"`
	Status       IntentStatus `json:"status"`
	ClientSecret string       `json:"client_secret"`
}

// IntentCanceler is a Gateway that can cancel a payment intent the customer has not completed, so it can no
// longer take money: an unfinished purchase given up at its deadline must not be paid after it. The answer
// is where the intent stands afterwards: canceled, or succeeded when the customer completed it first (the
// caller then records the payment). Canceling a canceled intent answers canceled again.
type IntentCanceler interface {
	CancelPaymentIntent(ctx context.Context, id string) (Intent, error)
}
