package operator

import (
	"fmt"
	"strings"

	"github.com/pelcro-oss/pelcro-api/aggregates/order"
	"github.com/pelcro-oss/pelcro-api/aggregates/stock"
)

// orderDescribers describe the e-commerce orders and the SKU stock they hold, so "why was this order
// canceled?" and "who took the last unit?" read off the timeline.
var orderDescribers = map[string]describer{
	"order.placed": describeAs(func(e order.Placed) string {
		items := make([]string, len(e.Items))
		for i, item := range e.Items {
			items[i] = fmt.Sprintf("%d × SKU %d", item.Quantity, item.SKUID)
		}
		return fmt.Sprintf("Customer %d placed order %d (%s): %s due on invoice %d by %s", e.CustomerID, e.OrderID,
			strings.Join(items, ", "), money(e.Amounts.Total, e.Currency), e.InvoiceID, e.PayBy.Format("2006-01-02 15:04 MST"))
	}),
	"order.paid": describeAs(func(e order.Paid) string {
		return fmt.Sprintf("Order %d was paid: its units are sold", e.OrderID)
	}),
	"order.canceled": describeAs(func(e order.Canceled) string {
		reasons := map[order.CancelReason]string{order.ReasonOutOfStock: "a SKU was out of stock",
			order.ReasonDeclined: "the payment was declined", order.ReasonExpired: "it was not paid by its deadline"}
		reason, ok := reasons[e.Reason]
		if !ok {
			reason = string(e.Reason)
		}
		return fmt.Sprintf("Order %d was canceled, unpaid: %s", e.OrderID, reason)
	}),
	"stock.reserved": describeAs(func(e stock.Reserved) string {
		return fmt.Sprintf("Order %d holds %d unit(s) of SKU %d until %s", e.OrderID, e.Quantity, e.SKUID,
			e.ExpiresAt.Format("2006-01-02 15:04 MST"))
	}),
	"stock.sold": describeAs(func(e stock.Sold) string {
		return fmt.Sprintf("Order %d bought its %d unit(s) of SKU %d", e.OrderID, e.Quantity, e.SKUID)
	}),
	"stock.released": describeAs(func(e stock.Released) string {
		return fmt.Sprintf("Order %d gave back its %d unit(s) of SKU %d", e.OrderID, e.Quantity, e.SKUID)
	}),
}
