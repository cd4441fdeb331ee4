package queries

import "encoding/json"

// Order is the Order resource (spec 3.7) in the Customer's `orders`, read from orders (projections/order):
// the shape #54 answers under data.order. Amounts are integer minor units of Currency; times Unix seconds.
// Tax is every jurisdiction's tax; InclusiveTax the part of it the prices hold already (inclusive rates),
// which the total does not add: Total = Subtotal + Shipping + Tax − InclusiveTax − Discount.
type Order struct {
	ID           int64           `json:"id"`
	Object       string          `json:"object"`
	Status       string          `json:"status"`
	Currency     string          `json:"currency"`
	Items        json.RawMessage `json:"items"`
	Subtotal     int64           `json:"subtotal"`
	Shipping     int64           `json:"shipping"`
	Discount     int64           `json:"discount"`
	Tax          int64           `json:"tax"`
	InclusiveTax int64           `json:"inclusive_tax"`
	Total        int64           `json:"total"`
	InvoiceID    int64           `json:"invoice_id"`
	AddressID    *int64          `json:"address_id"`
	CreatedAt    int64           `json:"created_at"`
	UpdatedAt    int64           `json:"updated_at"`
	// PayBy is when a pending order's units go back on sale unless its payment completes; null once paid.
	PayBy *int64 `json:"pay_by"`
}

// selectOrdersJSON is the orders of the customer row c a customer sees (paid, and pending while their
// charge waits for 3-D Secure; canceled ones charged nothing), oldest first, as a JSON array of Order.
var selectOrdersJSON = `SELECT coalesce(json_agg(json_build_object('id', o.id, 'object', 'order',
	'status', o.status, 'currency', o.currency, 'items', o.items, 'subtotal', o.subtotal, 'shipping', o.shipping,
	'discount', o.discount, 'tax', o.tax,
	'inclusive_tax', o.subtotal + o.shipping + o.tax - o.discount - o.total, 'total', o.total,
	'invoice_id', o.invoice_id,
	'address_id', NULLIF(o.address_id, 0), 'created_at', ` + unixSeconds("o.created_at") + `,
	'updated_at', ` + unixSeconds("o.updated_at") + `,
	'pay_by', CASE WHEN o.status = 'pending' THEN ` + unixSeconds("o.pay_by") + ` END) ORDER BY o.created_at, o.id), '[]')
	FROM orders o WHERE o.customer_id = c.id AND o.account_id = c.account_id AND o.status IN ('pending', 'paid')`

// ordersFrom decodes selectOrdersJSON's array, never nil.
func ordersFrom(array []byte) ([]Order, error) {
	orders := []Order{}
	if err := json.Unmarshal(array, &orders); err != nil {
		return nil, err
	}
	return orders, nil
}
