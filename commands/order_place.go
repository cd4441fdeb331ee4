package commands

import (
	"cmp"
	"context"
	"errors"
	"slices"
	"strconv"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/order"
	"github.com/pelcro-oss/pelcro-api/aggregates/stock"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// NewOrder is POST /ecommerce/order (#54): the cart, and how to pay it: SourceID (a chargeable card of the
// customer's) or Token at Gateway (a single-use gateway token; "" is DefaultGateway).
type NewOrder struct {
	Cart
	SourceID    int64
	Gateway     string
	Token       string
	CampaignKey string
}

// PlacedOrder is where placing left the order: paid, or pending while its charge waits for the customer
// to complete the 3-D Secure PaymentIntent (before the order's deadline, or it expires).
type PlacedOrder struct {
	OrderResult
	PaymentIntent *payments.Intent
}

// Place prices the cart, places the order (pending, with its deadline), holds its units on each SKU's stock
// stream, and only then charges its invoice: a declined charge gives the units back and cancels the order,
// a charge that goes through sells them and completes it. Nothing is ever charged for an order that is not
// recorded, and no unit is sold twice: stock is decided on the SKU's stream with expected revisions. A
// process that dies half-way leaves a pending order whose units Expire gives back after its deadline.
// Every step is keyed by the command id, so the same command again (a retry with the same
// Idempotency-Key) finds the same order, invoice and charge and charges nothing twice.
//
// Refusals: the Summary's, ErrPaymentMeansRequired, ErrOutOfStock, ErrSourceNotFound, ErrUnknownGateway,
// *payments.Declined, ErrOrderExpired, order problems (aggregates.FieldProblems: a campaign key out of
// shape, checked first; amounts too large).
func (c Orders) Place(ctx context.Context, env Envelope, in NewOrder) (PlacedOrder, error) {
	if err := aggregates.CampaignKeyProblems("campaign_key", in.CampaignKey).Err(); err != nil {
		return PlacedOrder{}, err
	}
	q, err := c.Summary(ctx, in.Cart)
	if err != nil {
		return PlacedOrder{}, err
	}
	if q.Quote.Total > 0 && in.SourceID == 0 && in.Token == "" {
		return PlacedOrder{}, ErrPaymentMeansRequired
	}
	// The invoice's rules first: an order placed with an invoice that cannot be opened could never be paid
	// nor expired.
	bill := orderInvoice(order.State{CustomerID: in.CustomerID, Currency: q.Currency, Items: q.Items, Amounts: q.Amounts()})
	if err := bill.Problems().Err(); err != nil {
		return PlacedOrder{}, err
	}
	records := c.records()
	orderID, newID, err := recordedNewID(ctx, records, env, orderOfCommandScope, env.CommandID, c.IDs)
	if err != nil {
		return PlacedOrder{}, err
	}
	invoiceID, err := recordedID(ctx, records, env, orderInvoiceScope, env.CommandID, c.Invoices.IDs)
	if err != nil {
		return PlacedOrder{}, err
	}
	now := c.now()
	place := order.Place{OrderID: orderID, CustomerID: in.CustomerID, AccountID: in.AccountID, SiteID: in.SiteID,
		Currency: q.Currency, Items: q.Items, Amounts: q.Amounts(), AddressID: q.AddressID,
		CouponCode: in.CouponCode, CampaignKey: in.CampaignKey, InvoiceID: invoiceID, PayBy: now.Add(c.paymentWindow())}
	placed, err := c.handleFrom(ctx, env.derived("place"), orderID, unwritten[order.State](env, newID), func(s order.State) ([]order.Event, error) {
		return order.Placement(s, place, now)
	})
	if err != nil || placed.Order.Status != order.StatusPending {
		return c.outcome(ctx, placed, err)
	}
	// Once the order is recorded, the placement runs to its end even when the caller goes away (a client
	// that disconnects): stopping between hold and charge would leave its units held until the order expires.
	ctx = context.WithoutCancel(ctx)
	held, err := c.reserve(ctx, env, placed.Order, q.SKUs)
	switch {
	case errors.Is(err, ErrOutOfStock), errors.Is(err, ErrOrderExpired):
		return c.cancel(ctx, env, placed.Order, held, order.ReasonOutOfStock, err)
	case err != nil:
		// Not a refusal (the store failed, or other processes kept winning the SKU's stream): the order stays
		// pending with what it holds, and a retry of the command, or Expire at its deadline, settles it.
		return PlacedOrder{}, err
	}
	return c.charge(ctx, env, in, placed.Order)
}

// reserve holds every item's units on its SKU's stock stream, at the level the catalog gives, and returns
// the items it held. A SKU short of units is ErrOutOfStock; an order released by Expire before it reserved
// is ErrOrderExpired. An unlimited item holds nothing: its stock stream is left alone.
//
// Items are held in the order of their SKU ids, whatever the order the cart lists them in: two orders of
// the same SKUs listed the other way round would otherwise each hold one SKU's last units and find the
// other's taken by its rival, and both be refused while enough units for one of them remained.
func (c Orders) reserve(ctx context.Context, env Envelope, o order.State, skus []SaleSKU) ([]order.Item, error) {
	inventory := map[int64]int64{}
	for _, sku := range skus {
		inventory[sku.ID] = sku.Stock.Inventory
	}
	items := slices.SortedFunc(slices.Values(o.Items), func(a, b order.Item) int { return cmp.Compare(a.SKUID, b.SKUID) })
	at := c.now()
	for i, item := range items {
		if item.Unlimited {
			continue
		}
		err := c.stock(ctx, env.derived("reserve-"+strconv.FormatInt(item.SKUID, 10)), item.SKUID,
			func(s stock.State) ([]stock.Event, error) {
				return stock.Reservation(s, stock.Reserve{SKUID: item.SKUID, OrderID: o.ID, Quantity: item.Quantity,
					Inventory: inventory[item.SKUID], ExpiresAt: o.PayBy}, at)
			})
		switch {
		case errors.Is(err, stock.ErrOutOfStock):
			return items[:i], ErrOutOfStock
		case errors.Is(err, stock.ErrSettled):
			return items[:i], ErrOrderExpired
		case err != nil:
			return items[:i], err
		}
	}
	return items, nil
}

// charge opens the order's invoice and pays it with the means given.
func (c Orders) charge(ctx context.Context, env Envelope, in NewOrder, o order.State) (PlacedOrder, error) {
	if _, err := c.Invoices.Open(ctx, env.derived("invoice"), o.InvoiceID, NewInvoice{AccountID: o.AccountID,
		Invoice: orderInvoice(o)}); err != nil {
		return PlacedOrder{}, err
	}
	var paid PaidInvoice
	var err error
	if o.Amounts.Total > 0 {
		paid, err = c.Invoices.Pay(ctx, env.derived("pay"), InvoicePayment{Target: in.Target, InvoiceID: o.InvoiceID,
			SourceID: in.SourceID, Gateway: in.Gateway, Token: in.Token})
	}
	switch {
	case err == nil && paid.Intent != nil:
		return PlacedOrder{OrderResult: OrderResult{Order: o}, PaymentIntent: paid.Intent}, nil
	case err == nil, errors.Is(err, invoice.ErrAlreadyPaid):
		result, err := c.complete(ctx, env, o)
		return PlacedOrder{OrderResult: result}, err
	case errors.Is(err, invoice.ErrVoid):
		now, err := c.Read(ctx, o.ID)
		return c.outcome(ctx, OrderResult{Order: now}, err)
	case errors.As(err, new(*payments.Declined)), errors.Is(err, ErrSourceNotFound), errors.Is(err, ErrUnknownGateway):
		if _, voidErr := c.Invoices.Void(ctx, env.derived("void"), o.InvoiceID); voidErr != nil {
			return PlacedOrder{}, errors.Join(err, voidErr)
		}
		return c.cancel(ctx, env, o, o.Items, order.ReasonDeclined, err)
	}
	return PlacedOrder{}, err // unreachable gateway: the attempt stays pending, Expire settles the order
}

// outcome answers an order that is not pending any more, as a retry of its command finds it: paid, or the
// refusal it was canceled for.
func (c Orders) outcome(ctx context.Context, r OrderResult, err error) (PlacedOrder, error) {
	if err != nil || r.Order.Status != order.StatusCanceled {
		return PlacedOrder{OrderResult: r}, err
	}
	switch r.Order.CancelReason {
	case order.ReasonOutOfStock:
		return PlacedOrder{}, ErrOutOfStock
	case order.ReasonDeclined:
		bill, err := c.Invoices.Read(ctx, r.Order.InvoiceID)
		if err != nil {
			return PlacedOrder{}, err
		}
		return PlacedOrder{}, &payments.Declined{Reason: payments.DeclineReason(bill.Declined)}
	}
	return PlacedOrder{}, ErrOrderExpired
}

// orderInvoice is the invoice billing the order: one line per item, its taxes and its discount.
// The placement and Expire both open it from the order alone, so whichever comes first opens the same one.
func orderInvoice(o order.State) invoice.Create {
	lines := make([]invoice.Line, len(o.Items))
	for i, item := range o.Items {
		lines[i] = invoice.Line{Description: item.Name, UnitAmount: item.UnitAmount, Quantity: item.Quantity}
	}
	return invoice.Create{CustomerID: o.CustomerID, Currency: o.Currency, Lines: lines, Tax: o.Amounts.Tax,
		InclusiveTax: o.Amounts.InclusiveTax, Discount: o.Amounts.Discount, BillingReason: invoice.ReasonOrderCreate,
		OrderID: o.ID}
}
