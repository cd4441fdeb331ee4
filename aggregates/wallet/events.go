// Package wallet is a customer's saved cards (spec 2.6, 3.9; business rule 23): payment methods saved from a
// gateway token, of which one is the default, at most MaxPaymentMethods at a time, deleted softly.
//
// A wallet is its own aggregate, one stream per customer ("wallet-<customer id>"), apart from the customer's
// stream: card saves neither contend with profile changes nor grow the stream every customer command loads,
// and the wallet's rules (one default, the limit) need nothing of the customer but its id and account.
//
// Nothing here is personal data in the sense of internal/personaldata: cards are known by the gateway's ids,
// brand, last four digits, expiry, country and fingerprint (what a receipt shows), never by number or holder.
package wallet

import (
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// Event is implemented by every wallet event. Every event carries the customer id and its business time.
type Event interface {
	isWalletEvent()
}

// Card is what the gateway told about a saved card: the `properties` of the payment method resource.
type Card struct {
	Brand       string `json:"brand"`
	Last4       string `json:"last4"`
	ExpMonth    int    `json:"exp_month"`
	ExpYear     int    `json:"exp_year"`
	Country     string `json:"country,omitempty"`
	Funding     string `json:"funding,omitempty"`
	Fingerprint string `json:"fingerprint,omitempty" secret:"true"`
}

// PaymentMethodSaved records a card saved at the gateway. A Pending card waits for its 3-D Secure setup
// intent (SetupIntentID) and cannot be charged until PaymentMethodConfirmed. A default card takes over from
// the previous default.
type PaymentMethodSaved struct {
	CustomerID        int64     `json:"customer_id"`
	AccountID         int64     `json:"account_id"`
	PaymentMethodID   int64     `json:"payment_method_id"`
	Gateway           string    `json:"gateway"`
	GatewayCustomerID string    `json:"gateway_customer_id"`
	ObjectID          string    `json:"object_id"`
	Card              Card      `json:"card"`
	Pending           bool      `json:"pending,omitempty"`
	SetupIntentID     string    `json:"setup_intent_id,omitempty"`
	IsDefault         bool      `json:"is_default"`
	SavedAt           time.Time `json:"saved_at"`
}

// PaymentMethodConfirmed records that the gateway reported the card's setup intent succeeded, or (when
// PaymentIntentID is set) that the customer authenticated a payment intent charging the card, which set it
// up for later charges as well: the card is chargeable from then on.
type PaymentMethodConfirmed struct {
	CustomerID      int64     `json:"customer_id"`
	PaymentMethodID int64     `json:"payment_method_id"`
	SetupIntentID   string    `json:"setup_intent_id"`
	PaymentIntentID string    `json:"payment_intent_id,omitempty"`
	ConfirmedAt     time.Time `json:"confirmed_at"`
}

// DefaultPaymentMethodChanged records a new default card; the previous default stops being one.
type DefaultPaymentMethodChanged struct {
	CustomerID      int64     `json:"customer_id"`
	PaymentMethodID int64     `json:"payment_method_id"`
	ChangedAt       time.Time `json:"changed_at"`
}

// CardExpiryChanged records a card's new expiry (PUT /source/{id}, PUT /payment_methods/{id}).
type CardExpiryChanged struct {
	CustomerID      int64     `json:"customer_id"`
	PaymentMethodID int64     `json:"payment_method_id"`
	ExpMonth        int       `json:"exp_month"`
	ExpYear         int       `json:"exp_year"`
	ChangedAt       time.Time `json:"changed_at"`
}

// PaymentMethodDeleted records a soft delete: the card stays in the history, out of the wallet.
type PaymentMethodDeleted struct {
	CustomerID      int64     `json:"customer_id"`
	PaymentMethodID int64     `json:"payment_method_id"`
	DeletedAt       time.Time `json:"deleted_at"`
}

// PaymentMethodUseChanged records that a subscription created with the card started (InUse) or stopped
// holding it: while the wallet has no chargeable default the subscription charges it, and it cannot be
// deleted (rule 23, State.InUse). The subscriptions' commands write it.
type PaymentMethodUseChanged struct {
	CustomerID      int64     `json:"customer_id"`
	PaymentMethodID int64     `json:"payment_method_id"`
	SubscriptionID  int64     `json:"subscription_id"`
	InUse           bool      `json:"in_use"`
	ChangedAt       time.Time `json:"changed_at"`
}

func (PaymentMethodSaved) isWalletEvent()          {}
func (PaymentMethodConfirmed) isWalletEvent()      {}
func (DefaultPaymentMethodChanged) isWalletEvent() {}
func (CardExpiryChanged) isWalletEvent()           {}
func (PaymentMethodDeleted) isWalletEvent()        {}
func (PaymentMethodUseChanged) isWalletEvent()     {}

// Events names every wallet event. Warning: the names are a stored format (see aggregates.Registry);
// renaming one orphans the events already written.
var Events = func() *aggregates.Registry {
	r := aggregates.NewRegistry()
	aggregates.MustRegister[PaymentMethodSaved](r, "wallet.payment_method_saved")
	aggregates.MustRegister[PaymentMethodConfirmed](r, "wallet.payment_method_confirmed")
	aggregates.MustRegister[DefaultPaymentMethodChanged](r, "wallet.default_payment_method_changed")
	aggregates.MustRegister[CardExpiryChanged](r, "wallet.card_expiry_changed")
	aggregates.MustRegister[PaymentMethodDeleted](r, "wallet.payment_method_deleted")
	aggregates.MustRegister[PaymentMethodUseChanged](r, "wallet.payment_method_use_changed")
	return r
}()
