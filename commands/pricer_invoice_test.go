package commands_test

import (
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/pricing"
	"github.com/pelcro-oss/pelcro-api/commands"
)

func TestASubscriptionInvoiceCountsInclusiveTaxesInItsTax(t *testing.T) {
	t.Parallel()
	// given a 1000 plan taxed 14.975 % inside the price and 5 % on top, with 100 of credit
	quote := pricing.Price(pricing.Bill{Lines: []pricing.Line{{UnitAmount: 1000, Quantity: 1}},
		Taxes:   []pricing.TaxRate{{Name: "GST+QST", Rate: 14_975, Inclusive: true}, {Name: "Levy", Rate: 5_000}},
		Balance: 100})
	// when its invoice is opened (as subscription create and renewals open it)
	bill := commands.InvoiceOf(quote, invoice.Line{Description: "Plan 4051", UnitAmount: 1000, Quantity: 1})
	bill.CustomerID, bill.Currency = 1, "usd"
	events, err := invoice.CreateInvoice(invoice.State{}, bill, time.Now())
	if err != nil {
		t.Fatal(err)
	}
	// then its tax is both jurisdictions' (130 inside the price, 50 added), as the preview shows it, and its
	// total is still what the preview bills
	got := events[0].(invoice.Created).Amounts
	want := invoice.Amounts{Subtotal: 1000, Tax: 50, InclusiveTax: 130, Discount: 100, Total: 950}
	if got != want || got.AllTax() != quote.Tax || got.Total != quote.AmountDue {
		t.Fatalf("amounts = %+v (all taxes %d), want %+v: the quote's tax %d and amount due %d", got, got.AllTax(),
			want, quote.Tax, quote.AmountDue)
	}
}
