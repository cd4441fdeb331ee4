package pricing_test

import (
	"reflect"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/pelcro-oss/pelcro-api/aggregates/pricing"
)

func TestPrice(t *testing.T) {
	t.Parallel()
	qst := pricing.TaxRate{Name: "GST+QST", Rate: pricing.RateFromPercent(14.975)}
	vat := pricing.TaxRate{Name: "VAT", Rate: pricing.RateFromPercent(20), Inclusive: true}
	tests := []struct {
		name string
		bill pricing.Bill
		want pricing.Quote
	}{
		{"no coupon no tax", pricing.Bill{Lines: []pricing.Line{{UnitAmount: 999, Quantity: 2}}},
			pricing.Quote{Subtotal: 1998, Taxes: []pricing.Tax{}, Total: 1998, AmountDue: 1998}},
		{"ten percent off rounds half up", pricing.Bill{Lines: []pricing.Line{{UnitAmount: 995, Quantity: 1}},
			Discount: pricing.Discount{PercentOff: pricing.RateFromPercent(10)}},
			pricing.Quote{Subtotal: 995, Discount: 100, Taxes: []pricing.Tax{}, Total: 895, AmountDue: 895}},
		{"amount off never exceeds the subtotal", pricing.Bill{Lines: []pricing.Line{{UnitAmount: 500, Quantity: 1}},
			Discount: pricing.Discount{AmountOff: 800}},
			pricing.Quote{Subtotal: 500, Discount: 500, Taxes: []pricing.Tax{}}},
		{"exclusive tax on the discounted amount", pricing.Bill{Lines: []pricing.Line{{UnitAmount: 1000, Quantity: 1}},
			Discount: pricing.Discount{PercentOff: pricing.RateFromPercent(10)}, Taxes: []pricing.TaxRate{qst}},
			pricing.Quote{Subtotal: 1000, Discount: 100, Taxes: []pricing.Tax{{Name: "GST+QST", Rate: 14975, Amount: 135}},
				Tax: 135, Total: 1035, AmountDue: 1035}},
		{"inclusive tax is inside the total", pricing.Bill{Lines: []pricing.Line{{UnitAmount: 1200, Quantity: 1}},
			Taxes: []pricing.TaxRate{vat}},
			pricing.Quote{Subtotal: 1200, Taxes: []pricing.Tax{{Name: "VAT", Rate: 20000, Inclusive: true, Amount: 200}},
				Tax: 200, Total: 1200, AmountDue: 1200}},
		{"balance pays part", pricing.Bill{Lines: []pricing.Line{{UnitAmount: 1000, Quantity: 1}}, Balance: 300},
			pricing.Quote{Subtotal: 1000, Taxes: []pricing.Tax{}, Total: 1000, Balance: 300, AmountDue: 700}},
		{"balance beyond the total is kept", pricing.Bill{Lines: []pricing.Line{{UnitAmount: 100, Quantity: 1}}, Balance: 300},
			pricing.Quote{Subtotal: 100, Taxes: []pricing.Tax{}, Total: 100, Balance: 100}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := pricing.Price(tt.bill); !reflect.DeepEqual(got, tt.want) {
				t.Errorf("Price() = %+v, want %+v", got, tt.want)
			}
		})
	}
}

// TestPriceInvariants: whatever the bill, nothing is negative, the discount never exceeds the subtotal, the
// total is the discounted subtotal plus exclusive taxes, and the customer never owes less than nothing.
func TestPriceInvariants(t *testing.T) {
	t.Parallel()
	rapid.Check(t, func(t *rapid.T) {
		bill := pricing.Bill{
			Lines: []pricing.Line{{UnitAmount: rapid.Int64Range(0, 99_999_999).Draw(t, "unit"),
				Quantity: rapid.Int64Range(1, 10_000).Draw(t, "quantity")}},
			Discount: pricing.Discount{PercentOff: pricing.Rate(rapid.Int64Range(0, 100_000).Draw(t, "percent")),
				AmountOff: rapid.Int64Range(0, 99_999_999).Draw(t, "amount_off")},
			Balance: rapid.Int64Range(-1000, 99_999_999).Draw(t, "balance"),
		}
		for i := range rapid.IntRange(0, 3).Draw(t, "taxes") {
			bill.Taxes = append(bill.Taxes, pricing.TaxRate{Name: string(rune('A' + i)),
				Rate: pricing.Rate(rapid.Int64Range(0, 100_000).Draw(t, "rate")), Inclusive: rapid.Bool().Draw(t, "inclusive")})
		}
		q := pricing.Price(bill)
		exclusive := int64(0)
		for _, tax := range q.Taxes {
			if tax.Amount < 0 {
				t.Fatalf("negative tax %+v", tax)
			}
			if !tax.Inclusive {
				exclusive += tax.Amount
			}
		}
		if q.Discount < 0 || q.Discount > q.Subtotal || q.Total != q.Subtotal-q.Discount+exclusive ||
			q.Balance < 0 || q.AmountDue < 0 || q.AmountDue != q.Total-q.Balance {
			t.Fatalf("quote breaks its invariants: %+v", q)
		}
	})
}

func TestProrate(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	period := pricing.Period{Start: start, End: start.AddDate(0, 0, 30)}
	tests := []struct {
		name     string
		at       time.Time
		old, new int64
		want     pricing.Proration
	}{
		{"half way", start.AddDate(0, 0, 15), 1000, 3000, pricing.Proration{Credit: 500, Charge: 1500}},
		{"a third left rounds half up", start.AddDate(0, 0, 20), 1000, 0, pricing.Proration{Credit: 333}},
		{"before the start is everything", start.Add(-time.Hour), 1000, 2000, pricing.Proration{Credit: 1000, Charge: 2000}},
		{"at the end is nothing", period.End, 1000, 2000, pricing.Proration{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			if got := pricing.Prorate(period, tt.old, tt.new, tt.at); got != tt.want {
				t.Errorf("Prorate() = %+v, want %+v", got, tt.want)
			}
		})
	}
	if net := pricing.Prorate(period, 3000, 1000, start.AddDate(0, 0, 15)).Net(); net != -1000 {
		t.Errorf("a downgrade half way nets %d, want -1000 (a credit)", net)
	}
}

func TestTheTaxShareOfAProration(t *testing.T) {
	t.Parallel()
	exclusive := pricing.Quote{Subtotal: 1000, Taxes: []pricing.Tax{{Amount: 50}, {Amount: 100}}, Tax: 150, Total: 1150}
	inclusive := pricing.Quote{Subtotal: 1000, Taxes: []pricing.Tax{{Amount: 130, Inclusive: true}}, Tax: 130,
		Total: 1000}
	for _, c := range []struct {
		name                 string
		quote                pricing.Quote
		amount               int64
		wantExcl, wantInclud int64
	}{
		{"half of a price with taxes added", exclusive, 575, 75, 0},
		{"half of a price holding its tax", inclusive, 500, 0, 65},
		{"a cent holds less than half a cent of tax", exclusive, 1, 0, 0},
		{"nothing of a free price", pricing.Quote{}, 500, 0, 0},
		{"nothing of a credit", exclusive, -575, 0, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if excl, incl := c.quote.TaxShare(c.amount); excl != c.wantExcl || incl != c.wantInclud {
				t.Errorf("TaxShare(%d) = %d, %d; want %d, %d", c.amount, excl, incl, c.wantExcl, c.wantInclud)
			}
		})
	}
}
