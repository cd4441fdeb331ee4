package transport

import (
	"context"
	"net/http"

	"github.com/pelcro-oss/pelcro-api/aggregates/order"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// OrderCommands prices carts and places orders (commands.Orders).
type OrderCommands interface {
	Summary(ctx context.Context, cart commands.Cart) (commands.CartQuote, error)
	Place(ctx context.Context, env commands.Envelope, in commands.NewOrder) (commands.PlacedOrder, error)
}

// ecommerceHandlers serve the order summary and the order (spec 2.10 #53, #54; docs/ecommerce.md). Both
// answer from the write side (the quote, the order as the command left it), so neither waits for a read
// model; the order's Idempotency-Key answer is kept by the guard like any mutation's.
type ecommerceHandlers struct {
	walletHandlers
}

// orderSummary is #53's data: the cart priced, in minor units of Currency. Tax is every jurisdiction's tax
// (Taxes lists them), InclusiveTax the part the prices hold already, which the total does not add: Total =
// Subtotal + Shipping + Tax − InclusiveTax − Discount. Shipping is always 0 (the catalog has no rates).
type orderSummary struct {
	Currency     string      `json:"currency"`
	Items        []orderLine `json:"items"`
	Subtotal     int64       `json:"subtotal"`
	Shipping     int64       `json:"shipping"`
	Discount     int64       `json:"discount"`
	Tax          int64       `json:"tax"`
	InclusiveTax int64       `json:"inclusive_tax"`
	Taxes        []orderTax  `json:"taxes"`
	Total        int64       `json:"total"`
	AddressID    *int64      `json:"address_id"`
}

// orderLine is one SKU of a cart or order.
type orderLine struct {
	SKUID      int64  `json:"sku_id"`
	ProductID  int64  `json:"product_id"`
	Name       string `json:"name"`
	Quantity   int64  `json:"quantity"`
	UnitAmount int64  `json:"unit_amount"`
	Amount     int64  `json:"amount"`
}

// orderResource is the Order (spec 3.7) #54 answers under data.order: at least id, status, total,
// currency and items, as the SDK's order event carries them; its taxes as the summary's.
type orderResource struct {
	ID           int64       `json:"id"`
	Status       string      `json:"status"`
	Currency     string      `json:"currency"`
	Items        []orderLine `json:"items"`
	Subtotal     int64       `json:"subtotal"`
	Shipping     int64       `json:"shipping"`
	Discount     int64       `json:"discount"`
	Tax          int64       `json:"tax"`
	InclusiveTax int64       `json:"inclusive_tax"`
	Total        int64       `json:"total"`
	InvoiceID    int64       `json:"invoice_id"`
	AddressID    *int64      `json:"address_id"`
	CreatedAt    int64       `json:"created_at"`
	PayBy        *int64      `json:"pay_by"`
}

// orderAnswer is #54's body: the order, and the payment intent the front end completes when the charge
// waits for 3-D Secure (spec 1.10).
type orderAnswer struct {
	Data orderData  `json:"data"`
	Meta *orderMeta `json:"meta,omitempty"`
}

type orderData struct {
	Order orderResource `json:"order"`
}

type orderMeta struct {
	PaymentIntent *payments.Intent `json:"payment_intent"`
}

// summary is POST /ecommerce/order-summary (#53): prices the cart, writes nothing.
func (h ecommerceHandlers) summary(w http.ResponseWriter, r *http.Request) {
	cart, failures := cartInput(requestParams(r))
	if len(failures) > 0 {
		writeValidation(w, r, failures)
		return
	}
	cart.Target = target(r)
	q, err := h.deps.OrderCommands.Summary(r.Context(), cart)
	if err != nil {
		h.refuseOrder(w, r, err)
		return
	}
	body := orderSummary{Currency: q.Currency, Items: orderLines(q.Items), Subtotal: q.Quote.Subtotal,
		Discount: q.Quote.Discount, Tax: q.Quote.Tax, InclusiveTax: q.Quote.InclusiveTax(),
		Taxes: taxLines(q.Quote.Taxes), Total: q.Quote.Total, AddressID: optionalID(q.AddressID)}
	writeData(w, http.StatusOK, body)
}

// place is POST /ecommerce/order (#54): places the order and charges it at once.
func (h ecommerceHandlers) place(w http.ResponseWriter, r *http.Request) {
	in, failures := orderInput(requestParams(r))
	if len(failures) > 0 {
		writeValidation(w, r, failures)
		return
	}
	in.Target = target(r)
	placed, err := h.deps.OrderCommands.Place(r.Context(), commandEnvelope(r, "order.place"), in)
	if err != nil {
		h.refuseOrder(w, r, err)
		return
	}
	answer := orderAnswer{Data: orderData{Order: orderOf(placed.Order)}}
	if placed.PaymentIntent != nil {
		answer.Meta = &orderMeta{PaymentIntent: placed.PaymentIntent}
	}
	writeJSON(w, http.StatusOK, answer)
}

// orderOf is the order resource of an order's state; PayBy only while it waits for its payment.
func orderOf(o order.State) orderResource {
	res := orderResource{ID: o.ID, Status: string(o.Status), Currency: o.Currency, Items: orderLines(o.Items),
		Subtotal: o.Amounts.Subtotal, Shipping: o.Amounts.Shipping, Discount: o.Amounts.Discount,
		Tax: o.Amounts.AllTax(), InclusiveTax: o.Amounts.InclusiveTax, Total: o.Amounts.Total, InvoiceID: o.InvoiceID,
		AddressID: optionalID(o.AddressID), CreatedAt: o.PlacedAt.Unix()}
	if o.Status == order.StatusPending {
		res.PayBy = optionalID(o.PayBy.Unix())
	}
	return res
}

func orderLines(items []order.Item) []orderLine {
	lines := make([]orderLine, len(items))
	for i, item := range items {
		lines[i] = orderLine{SKUID: item.SKUID, ProductID: item.EcommerceProductID, Name: item.Name,
			Quantity: item.Quantity, UnitAmount: item.UnitAmount, Amount: item.Amount()}
	}
	return lines
}

// optionalID is a pointer to a non-zero value, nil (JSON null) for zero.
func optionalID(v int64) *int64 {
	if v == 0 {
		return nil
	}
	return &v
}
