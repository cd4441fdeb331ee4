package invoice_test

import (
	"strings"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/aggtest"
	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
)

var (
	openedAt = time.Date(2026, 6, 1, 9, 0, 0, 0, time.UTC)
	later    = openedAt.Add(time.Minute)
	spec     = aggtest.For(invoice.Events, invoice.Evolve)
	visa     = invoice.Means{Gateway: "stripe", Token: "tok_visa"}
)

// created is invoice 7 of customer 42 in account 3, open, for 1250 usd.
func created(status invoice.Status, total int64) invoice.Created {
	return invoice.Created{InvoiceID: 7, CustomerID: 42, AccountID: 3, SiteID: 5, Status: status, Currency: "usd",
		Lines:         []invoice.Line{{Description: "Issue 12", UnitAmount: total, Quantity: 1}},
		Amounts:       invoice.Amounts{Subtotal: total, Total: total},
		BillingReason: invoice.ReasonManual, CreatedAt: openedAt}
}

func create(total int64) invoice.Create {
	return invoice.Create{InvoiceID: 7, CustomerID: 42, AccountID: 3, SiteID: 5, Currency: "usd",
		Lines: []invoice.Line{{Description: "Issue 12", UnitAmount: total, Quantity: 1}}}
}

func attempted(n int, means invoice.Means) invoice.PaymentAttempted {
	return invoice.PaymentAttempted{InvoiceID: 7, Attempt: n, Means: means, Amount: 1250, Currency: "usd", AttemptedAt: later}
}

func TestCreatingAnInvoice(t *testing.T) {
	t.Parallel()
	t.Run("an open invoice sums its lines, tax and discount", func(t *testing.T) {
		t.Parallel()
		c := create(0)
		c.Lines = []invoice.Line{{Description: "a", UnitAmount: 500, Quantity: 2}, {UnitAmount: 250, Quantity: 1}}
		c.Tax, c.Discount, c.BillingReason, c.SubscriptionID = 100, 50, invoice.ReasonSubscriptionCycle, 9
		c.Period = invoice.Period{Start: openedAt, End: openedAt.AddDate(0, 1, 0)}
		want := created(invoice.StatusOpen, 0)
		want.Lines, want.BillingReason, want.SubscriptionID, want.Period = c.Lines, c.BillingReason, 9, c.Period
		want.Amounts = invoice.Amounts{Subtotal: 1250, Tax: 100, Discount: 50, Total: 1300}
		spec.Given().When(func(s invoice.State) ([]invoice.Event, error) { return invoice.CreateInvoice(s, c, openedAt) }).
			Then(t, want)
	})
	t.Run("an open invoice of zero is paid at once, with no charge", func(t *testing.T) {
		t.Parallel()
		spec.Given().When(func(s invoice.State) ([]invoice.Event, error) { return invoice.CreateInvoice(s, create(0), openedAt) }).
			Then(t, created(invoice.StatusOpen, 0),
				invoice.Paid{InvoiceID: 7, CustomerID: 42, Currency: "usd", PaidAt: openedAt})
	})
	t.Run("a draft of zero stays a draft until finalized, then is paid", func(t *testing.T) {
		t.Parallel()
		c := create(0)
		c.Draft = true
		spec.Given().When(func(s invoice.State) ([]invoice.Event, error) { return invoice.CreateInvoice(s, c, openedAt) }).
			Then(t, created(invoice.StatusDraft, 0))
		spec.Given(created(invoice.StatusDraft, 0)).When(func(s invoice.State) ([]invoice.Event, error) { return invoice.Finalize(s, later) }).
			Then(t, invoice.Finalized{InvoiceID: 7, FinalizedAt: later},
				invoice.Paid{InvoiceID: 7, CustomerID: 42, Currency: "usd", PaidAt: later})
	})
	t.Run("an id used already is refused", func(t *testing.T) {
		t.Parallel()
		spec.Given(created(invoice.StatusOpen, 1250)).
			When(func(s invoice.State) ([]invoice.Event, error) { return invoice.CreateInvoice(s, create(1250), later) }).
			ThenError(t, invoice.ErrAlreadyExists)
	})
}

func TestAnInvoiceRefusesBadValues(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		change func(*invoice.Create)
		field  string
		rule   invoice.Rule
	}{
		{"no currency", func(c *invoice.Create) { c.Currency = "" }, "currency", invoice.RuleCurrency},
		{"an upper-case currency", func(c *invoice.Create) { c.Currency = "USD" }, "currency", invoice.RuleCurrency},
		{"no lines", func(c *invoice.Create) { c.Lines = nil }, "lines", invoice.RuleRequired},
		{"a negative amount", func(c *invoice.Create) { c.Lines[0].UnitAmount = -1 }, "lines[0].unit_amount", invoice.RuleAmount},
		{"an amount past the limit", func(c *invoice.Create) { c.Lines[0].UnitAmount = invoice.MaxAmount + 1 }, "lines[0].unit_amount", invoice.RuleAmount},
		{"a total past the limit", func(c *invoice.Create) { c.Lines[0].UnitAmount, c.Lines[0].Quantity = invoice.MaxAmount, 2 }, "amount", invoice.RuleAmount},
		{"no quantity", func(c *invoice.Create) { c.Lines[0].Quantity = 0 }, "lines[0].quantity", invoice.RuleQuantity},
		{"a discount above the total", func(c *invoice.Create) { c.Discount = 1251 }, "discount", invoice.RuleDiscount},
		{"a negative inclusive tax", func(c *invoice.Create) { c.InclusiveTax = -1 }, "inclusive_tax", invoice.RuleAmount},
		{"an inclusive tax above the lines", func(c *invoice.Create) { c.InclusiveTax = 1251 }, "inclusive_tax",
			invoice.RuleAmount},
		{"a NUL in the description", func(c *invoice.Create) { c.Description = "a\x00" }, "description", invoice.RulePrintable},
		{"a long line description", func(c *invoice.Create) { c.Lines[0].Description = strings.Repeat("é", 501) }, "lines[0].description", invoice.RuleMaxLength},
		{"an unknown billing reason", func(c *invoice.Create) { c.BillingReason = "gift" }, "billing_reason", invoice.RuleBillingReason},
		{"a period ending before it starts", func(c *invoice.Create) { c.Period = invoice.Period{Start: later, End: openedAt} }, "period", invoice.RulePeriod},
		{"no customer", func(c *invoice.Create) { c.CustomerID = 0 }, "customer_id", invoice.RuleRequired},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a creation with one bad value
			c := create(1250)
			tc.change(&c)
			// when it is decided
			events, err := invoice.CreateInvoice(invoice.State{}, c, openedAt)
			// then it is refused on exactly that field and rule
			problems, ok := err.(invoice.Problems)
			if !ok || len(events) > 0 || len(problems) != 1 || problems[0].Field != tc.field || problems[0].Rule != tc.rule {
				t.Fatalf("CreateInvoice = %v, %v; want one %s problem on %s", events, err, tc.rule, tc.field)
			}
		})
	}
}
