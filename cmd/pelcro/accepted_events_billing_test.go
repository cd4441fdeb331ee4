package main

import (
	"fmt"
	"strconv"
	"time"

	"pgregory.net/rapid"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
)

// exampleSubscription is what subscription drawings start from: a monthly gift with every field set.
var exampleSubscription = subscription.New{AccountID: 1, Quantity: 1, PeriodAmount: 1250, Paid: true,
	Terms: subscription.Terms{PlanID: 4051, ProductID: 10, Amount: 1250, Currency: "usd", Interval: "month",
		IntervalCount: 1, AutoRenew: true},
	Coupon: &subscription.Coupon{ID: 77, Code: "WELCOME10", AmountOff: 100, Duration: subscription.DurationRepeating,
		DurationInMonths: 3},
	Billing: subscription.BillingChargeAutomatically, Payment: subscription.Payment{SourceID: 5, Gateway: "stripe"},
	Gift: subscription.Gift{RecipientEmail: "bea@example.com", RecipientFirstName: "Bea", RecipientLastName: "Lee",
		Message: "Enjoy"}, GiftStart: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC), GiftCode: "GIFT-ABCD-EFGH"}

// runBilling creates drawn subscriptions of the customers on the catalog's sites and runs the billing clock
// over them for a drawn span, paying through a drawn gateway: renewals, invoices, declines, dunning, invoices
// sent to be paid going overdue, ends and gift notices (whose mail the outbox queues) must all project.
func (w *propertyWorld) runBilling(c catalog.Catalog, customers []int64) {
	t, store := w.t, w.deps.EventStore
	gateways := commands.Gateways{commands.DefaultGateway: drawnCharges{t: t}}
	clock := func() time.Time { return w.now }
	intents := commands.Intents{Store: store, Gateways: gateways, Now: clock}
	invoices := commands.Invoices{Store: store, Gateways: gateways, Intents: intents, Now: clock,
		IDs: commands.NewIDAllocator(store, commands.IDKindInvoice, commands.IDAllocatorConfig{BlockSize: 10})}
	catalog := w.deps.commerceCatalog()
	subscriptions := commands.Subscriptions{Store: store, Invoices: invoices, Gateways: gateways,
		Pricer: commands.Pricer{Catalog: catalog, Store: store}, Catalog: catalog, Names: w.deps.Names}
	for i := range rapid.IntRange(1, 4).Draw(t, "subscriptions") {
		drawn, kept := drawBoth(t, "subscription", exampleSubscription,
			func(n subscription.New) bool { return len(n.Problems()) == 0 })
		for j, n := range []subscription.New{drawn, kept} {
			id := int64(1000 + 2*i + j)
			n.SubscriptionID, n.CustomerID = id, rapid.SampledFrom(append(customers, 1<<62)).Draw(t, "subscriber")
			n.SiteID = rapid.SampledFrom(c.Sites).Draw(t, "subscription site").ID
			// The terms are a catalog plan's, which the catalog's rules bound (an interval of millions of years
			// would not be one); whether it is a gift is drawn.
			n.Terms.Interval = rapid.SampledFrom([]string{"day", "week", "month", "year"}).Draw(t, "interval")
			n.Terms.IntervalCount = rapid.Int64Range(1, 3).Draw(t, "interval count")
			n.Paid, n.GiftOf = true, 0 // incomplete ones expire with the changes (runSubscriptionChanges); a redeemed gift just ends
			if rapid.Bool().Draw(t, "a regular subscription") {
				n.Gift = subscription.Gift{}
			}
			if rapid.Bool().Draw(t, "paid by invoice") { // its invoices go overdue, then it ends
				n.Billing, n.Payment = subscription.BillingSendInvoice, subscription.Payment{}
			}
			_, err := commands.Handle(t.Context(), store, commands.SubscriptionAggregate, strconv.FormatInt(id, 10),
				commands.Envelope{CommandID: fmt.Sprint("subscribe-", id)}, func(s subscription.State) ([]subscription.Event, error) {
					return subscription.Create(s, n, w.now)
				})
			if w.refused("create a drawn subscription", err, subscription.ErrInvalid) {
				continue
			}
			until := w.now.AddDate(0, 0, rapid.IntRange(0, 400).Draw(t, "days billed"))
			_, err = subscriptions.BillDue(t.Context(), id, until, nil)
			w.refused("bill a drawn subscription", err, invoiceRefusals...)
		}
	}
}
