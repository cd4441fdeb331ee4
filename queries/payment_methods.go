package queries

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// PaymentMethod is the Payment method / Source resource (spec 3.9), read from payment_methods
// (projections/wallet). Times are Unix seconds; deleted_at is null until the card is deleted.
type PaymentMethod struct {
	ID            int64     `json:"id"`
	Status        string    `json:"status"`
	ObjectGateway string    `json:"object_gateway"`
	ObjectID      string    `json:"object_id"`
	Properties    CardFacts `json:"properties"`
	IsDefault     bool      `json:"is_default"`
	Deletable     bool      `json:"deletable"`
	CreatedAt     int64     `json:"created_at"`
	UpdatedAt     int64     `json:"updated_at"`
	DeletedAt     *int64    `json:"deleted_at"`
}

// CardFacts are a payment method's `properties`: what the gateway told about the card; null when unknown.
type CardFacts struct {
	Brand       string  `json:"brand"`
	Last4       string  `json:"last4"`
	ExpMonth    int     `json:"exp_month"`
	ExpYear     int     `json:"exp_year"`
	Country     *string `json:"country"`
	Funding     *string `json:"funding"`
	Fingerprint *string `json:"fingerprint"`
}

// paymentMethodJSON is the card of the payment_methods row p as a JSON object shaped as PaymentMethod.
// deletable is wallet.State.Deletable: neither the default nor a subscription's next charge, which a card a
// subscription holds (subscription_ids) is only while the customer has no chargeable default.
var paymentMethodJSON = `json_build_object('id', p.id, 'status', p.status, 'object_gateway', p.gateway,
	'object_id', p.object_id, 'properties', json_build_object('brand', p.brand, 'last4', p.last4,
		'exp_month', p.exp_month, 'exp_year', p.exp_year, 'country', NULLIF(p.country, ''),
		'funding', NULLIF(p.funding, ''), 'fingerprint', NULLIF(p.fingerprint, '')),
	'is_default', p.is_default,
	'deletable', (NOT p.is_default AND p.deleted_at IS NULL AND (cardinality(p.subscription_ids) = 0 OR
		EXISTS (SELECT 1 FROM payment_methods d WHERE d.customer_id = p.customer_id AND d.is_default
			AND d.status = 'chargeable' AND d.deleted_at IS NULL))),
	'created_at', ` + unixSeconds("p.created_at") + `, 'updated_at', ` + unixSeconds("p.updated_at") + `,
	'deleted_at', ` + unixSeconds("p.deleted_at") + `)`

// selectSourcesJSON is the cards the customer row c holds (deleted ones left out), oldest first, as a JSON
// array of PaymentMethod, for selectCustomer.
var selectSourcesJSON = `SELECT coalesce(json_agg(` + paymentMethodJSON + ` ORDER BY p.created_at, p.id), '[]')
	FROM payment_methods p WHERE p.customer_id = c.id AND p.deleted_at IS NULL`

// PaymentMethods answers the payment method queries. Every query names the customer: another customer's
// card is not found (per-customer isolation).
type PaymentMethods struct {
	DB *sqlx.DB
}

// List returns the customer's cards (deleted ones left out), oldest first.
func (q PaymentMethods) List(ctx context.Context, customerID int64) ([]PaymentMethod, error) {
	var array []byte
	err := q.DB.GetContext(ctx, &array, `SELECT coalesce(json_agg(`+paymentMethodJSON+` ORDER BY p.created_at, p.id), '[]')
		FROM payment_methods p WHERE p.customer_id = $1 AND p.deleted_at IS NULL`, customerID)
	if err != nil {
		return nil, fmt.Errorf("queries: payment methods of customer %d: %w", customerID, err)
	}
	return paymentMethodsFrom(array)
}

// Get returns one of the customer's cards, a deleted one too (with deleted_at), or ErrNotFound.
func (q PaymentMethods) Get(ctx context.Context, customerID, id int64) (PaymentMethod, error) {
	var object []byte
	err := q.DB.GetContext(ctx, &object, `SELECT `+paymentMethodJSON+` FROM payment_methods p
		WHERE p.customer_id = $1 AND p.id = $2`, customerID, id)
	if errors.Is(err, sql.ErrNoRows) {
		return PaymentMethod{}, ErrNotFound
	}
	if err != nil {
		return PaymentMethod{}, fmt.Errorf("queries: payment method %d: %w", id, err)
	}
	var m PaymentMethod
	if err := json.Unmarshal(object, &m); err != nil {
		return PaymentMethod{}, fmt.Errorf("queries: payment method %d: %w", id, err)
	}
	return m, nil
}

// paymentMethodsFrom decodes a JSON array of PaymentMethod, never nil.
func paymentMethodsFrom(array []byte) ([]PaymentMethod, error) {
	methods := []PaymentMethod{}
	if err := json.Unmarshal(array, &methods); err != nil {
		return nil, err
	}
	return methods, nil
}

// defaultOf is the default card among methods (the Customer's `source`), nil when none.
func defaultOf(methods []PaymentMethod) *PaymentMethod {
	for i := range methods {
		if methods[i].IsDefault {
			return &methods[i]
		}
	}
	return nil
}
