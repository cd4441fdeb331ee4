package commands

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/order"
	"github.com/pelcro-oss/pelcro-api/aggregates/stock"
)

// complete sells the order's held units and records it paid; its invoice is paid. Both steps are
// idempotent, so the placement, Expire and the payments reactor (Settle) may all complete the same order.
func (c Orders) complete(ctx context.Context, env Envelope, o order.State) (OrderResult, error) {
	at := c.now()
	for _, item := range stocked(o.Items) {
		err := c.stock(ctx, env.derived("sell-"+strconv.FormatInt(item.SKUID, 10)), item.SKUID,
			func(s stock.State) ([]stock.Event, error) { return stock.Sell(s, o.ID, at) })
		if err != nil {
			return OrderResult{}, err
		}
	}
	return c.handle(ctx, env.derived("paid"), o.ID, func(s order.State) ([]order.Event, error) {
		return order.Payment(s, at)
	})
}

// cancel gives back the units the items hold (nothing was charged) and cancels the order for reason, then
// answers refusal, the error the caller is told.
func (c Orders) cancel(ctx context.Context, env Envelope, o order.State, items []order.Item, reason order.CancelReason,
	refusal error) (PlacedOrder, error) {
	if errors.Is(refusal, ErrOrderExpired) {
		return PlacedOrder{}, refusal // Expire canceled it, and released what it held
	}
	if err := c.release(ctx, env, o, items); err != nil {
		return PlacedOrder{}, errors.Join(refusal, err)
	}
	at := c.now()
	if _, err := c.handle(ctx, env.derived("cancel"), o.ID, func(s order.State) ([]order.Event, error) {
		return order.Cancellation(s, reason, at)
	}); err != nil {
		return PlacedOrder{}, errors.Join(refusal, err)
	}
	return PlacedOrder{}, refusal
}

// stocked are the items holding units on their SKU's stock stream: all but the unlimited ones.
func stocked(items []order.Item) []order.Item {
	return slices.DeleteFunc(slices.Clone(items), func(item order.Item) bool { return item.Unlimited })
}

// release gives back the order's units of the items' SKUs, and marks the order's reservation ended on each.
func (c Orders) release(ctx context.Context, env Envelope, o order.State, items []order.Item) error {
	at := c.now()
	for _, item := range stocked(items) {
		err := c.stock(ctx, env.derived("release-"+strconv.FormatInt(item.SKUID, 10)), item.SKUID,
			func(s stock.State) ([]stock.Event, error) { return stock.Release(s, item.SKUID, o.ID, at) })
		if err != nil {
			return err
		}
	}
	return nil
}

// ExpireDue is Expire for an order due by until (its deadline at or before until; any other is a no-op),
// on the clock of the order's deadline: as the billing clock does each item at its own due instant,
// everything it writes is stamped at the deadline, whether `pelcro billing run --until` runs it for an
// instant long past or `pelcro serve` for the wall clock.
func (c Orders) ExpireDue(ctx context.Context, orderID int64, until time.Time) (OrderResult, error) {
	o, err := c.Read(ctx, orderID)
	if err != nil || o.Status != order.StatusPending || o.PayBy.After(until) {
		return OrderResult{Order: o}, err
	}
	fixed := func() time.Time { return o.PayBy }
	c.Now, c.Invoices.Now, c.Invoices.Intents.Now = fixed, fixed, fixed
	return c.Expire(ctx, orderID)
}

// Expire ends an order nobody finished by its deadline (the process manager's step, see orderexpiry): a
// placement that died before or during its charge, or a 3-D Secure charge never completed. The invoice
// decides: the order's invoice is voided (opened first, from the order, when the placement never got to
// it), so a charge can no longer go through, and then its units go back to stock and the order is
// canceled as expired; an invoice paid meanwhile completes the order instead. A charge whose answer never
// came is asked again (Invoices.VoidAbandoning); while the gateway stays unreachable the order is kept as it is, and
// a later run tries again.
//
// An order that is not pending, or not due yet, is left alone (a no-op).
func (c Orders) Expire(ctx context.Context, orderID int64) (OrderResult, error) {
	o, err := c.Read(ctx, orderID)
	now := c.now()
	if err != nil || o.Status != order.StatusPending || now.Before(o.PayBy) {
		return OrderResult{Order: o}, err
	}
	env := Envelope{CommandID: "order-expiry-" + strconv.FormatInt(orderID, 10), Actor: "system:orders",
		SiteID: strconv.FormatInt(o.SiteID, 10)}
	if _, err := c.Invoices.Open(ctx, env.derived("invoice"), o.InvoiceID, NewInvoice{AccountID: o.AccountID,
		Invoice: orderInvoice(o)}); err != nil {
		return OrderResult{}, err
	}
	err = c.Invoices.VoidAbandoning(ctx, env, o.InvoiceID)
	if errors.Is(err, invoice.ErrAlreadyPaid) {
		return c.complete(ctx, env, o)
	}
	if err != nil {
		return OrderResult{}, err
	}
	if err := c.release(ctx, env, o, o.Items); err != nil {
		return OrderResult{}, err
	}
	return c.handle(ctx, env.derived("expire"), o.ID, func(s order.State) ([]order.Event, error) {
		return order.Cancellation(s, order.ReasonExpired, now)
	})
}

// SettleInvoicePaid completes the e-commerce order a paid invoice bills: its units sold, the order paid. It
// is the order payments reactor's step for an invoice paid outside the placement, a 3-D Secure intent the
// customer completed (`pelcro payments confirm`, the gateway's webhook), so the order is paid at once
// instead of when the expiry reaches its deadline. An invoice of no order (a subscription's, or an order's
// opened before invoices named their order, which the expiry completes), an order no longer pending, and a
// retry are no-ops: the placement, Expire and this may all complete the same order.
func (c Orders) SettleInvoicePaid(ctx context.Context, env Envelope, invoiceID int64) (OrderResult, error) {
	bill, err := c.Invoices.Read(ctx, invoiceID)
	if err != nil || bill.OrderID == 0 {
		return OrderResult{}, err
	}
	o, err := c.Read(ctx, bill.OrderID)
	if err != nil || o.Status != order.StatusPending {
		return OrderResult{Order: o}, err
	}
	result, err := c.complete(ctx, env, o)
	if errors.Is(err, order.ErrCanceled) {
		return OrderResult{Order: o}, nil // canceled meanwhile: it holds nothing left to sell
	}
	return result, err
}
