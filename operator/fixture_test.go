package operator_test

import (
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// history is the story the tests tell: customer 7 of site 3 registers as Ann, renames herself Anna, saves a
// card, pays an invoice of 12.50 USD and subscribes to the newsletter; customer 8 lives next door.
type history struct {
	registered, renamed, paid eventstore.Position
	// beforeAll, afterRegistration and afterRename are instants between those appends.
	beforeAll, afterRegistration, afterRename time.Time
}

const (
	annID         = 7
	annSite       = 3
	annEmail      = "ann@example.com"
	newsletterAnn = "newsletter-abc"
)

func (w *world) tellHistory() history {
	w.t.Helper()
	var h history
	now := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	h.beforeAll = tick(w.t)
	h.registered = w.append("customer-7", "customer:7", "req-1", customer.Registered{CustomerID: annID, AccountID: 1,
		SiteID: annSite, Email: annEmail, Profile: customer.Profile{FirstName: "Ann"}, RegisteredAt: now})
	w.append("customer-8", "customer:8", "req-x", customer.Registered{CustomerID: 8, AccountID: 1, SiteID: annSite,
		Email: "bob@example.com", RegisteredAt: now})
	h.afterRegistration = tick(w.t)
	h.renamed = w.append("customer-7", "customer:7", "req-2", customer.ProfileChanged{CustomerID: annID,
		Profile: customer.Profile{FirstName: "Anna", LastName: "Smith"}, ChangedAt: now.Add(time.Hour)})
	h.afterRename = tick(w.t)
	w.append("wallet-7", "customer:7", "req-3", wallet.PaymentMethodSaved{CustomerID: annID, AccountID: 1,
		PaymentMethodID: 11, Gateway: "stripe", ObjectID: "pm_1", IsDefault: true,
		Card: wallet.Card{Brand: "visa", Last4: "4242", ExpMonth: 4, ExpYear: 2030}, SavedAt: now.Add(2 * time.Hour)})
	w.append("invoice-20", "operator:cli", "req-4", invoice.Created{InvoiceID: 20, CustomerID: annID, AccountID: 1,
		SiteID: annSite, Status: invoice.StatusOpen, Currency: "usd", BillingReason: invoice.ReasonManual,
		Lines:   []invoice.Line{{Description: "Gift", UnitAmount: 1250, Quantity: 1}},
		Amounts: invoice.Amounts{Subtotal: 1250, Total: 1250}, CreatedAt: now.Add(3 * time.Hour)})
	w.append("invoice-20", "customer:7", "req-5",
		invoice.PaymentAttempted{InvoiceID: 20, Attempt: 1, Means: invoice.Means{Gateway: "stripe", SourceID: 11},
			Amount: 1250, Currency: "usd", AttemptedAt: now.Add(4 * time.Hour)})
	h.paid = w.append("invoice-20", "customer:7", "req-5", invoice.Paid{InvoiceID: 20, CustomerID: annID, Attempt: 1,
		ChargeID: "ch_1", Gateway: "stripe", Amount: 1250, Currency: "usd",
		Card: invoice.Card{Brand: "visa", Last4: "4242"}, PaidAt: now.Add(4 * time.Hour)})
	w.append(newsletterAnn, "", "req-6", newsletter.Subscribed{SiteID: annSite, Email: "ANN@example.com ",
		SubscribedAt: now.Add(5 * time.Hour)})
	w.project()
	return h
}
