// Package pricing computes what a customer pays for a plan or a cart: the subtotal, the coupon's discount,
// the taxes of each jurisdiction, the customer's balance, and the total, all in integer minor units of one
// currency. It is pure arithmetic shared by the price preview (POST /order), subscription creation, renewals
// and changes, so what the preview shows is exactly what the invoice bills.
//
// Percentages arrive as the catalog stores them (float64, e.g. 14.975) and are turned into integer
// thousandths of a percent once (Rate); from there every step is integer arithmetic with half-up rounding,
// so the same inputs give the same cents on every machine. docs/subscriptions.md gives the formulas.
package pricing

import "math"

// Rate is a percentage in thousandths of a percent: 14.975 % is 14975, 100 % is 100000.
type Rate int64

// RateFromPercent converts a catalog percentage (0 to 100, at most three decimals meaningful).
func RateFromPercent(percent float64) Rate {
	return Rate(math.Round(percent * 1000))
}

// Full is 100 %.
const Full Rate = 100_000

// Percent is the rate as a percentage, as the catalog and the API's resources give it (14.975 for 14975).
func (r Rate) Percent() float64 {
	return float64(r) / float64(Full/100)
}

// Of is amount × rate, rounded half up (amounts are never negative here).
func (r Rate) Of(amount int64) int64 {
	return divRound(amount*int64(r), int64(Full))
}

// divRound is n / d rounded half away from zero, for d > 0.
func divRound(n, d int64) int64 {
	if n < 0 {
		return -divRound(-n, d)
	}
	return (n + d/2) / d
}

// Line is what is being bought: UnitAmount × Quantity.
type Line struct {
	Description string `json:"description"`
	UnitAmount  int64  `json:"unit_amount"`
	Quantity    int64  `json:"quantity"`
}

// Discount is a coupon as it applies to one bill: PercentOff of the subtotal, or AmountOff (same currency),
// never more than the subtotal. The zero value takes nothing off.
type Discount struct {
	PercentOff Rate  `json:"percent_off,omitempty"`
	AmountOff  int64 `json:"amount_off,omitempty"`
}

// Jurisdiction is where a tax rate applies: a country (ISO 3166-1 alpha-2), and one of its states when the
// rate is the state's (State "" for the country-wide rate). A bill's taxes carry it so a customer sees which
// authority takes each amount.
type Jurisdiction struct {
	Country string `json:"country"`
	State   string `json:"state,omitempty"`
}

// TaxRate is one jurisdiction's rate. Inclusive rates are already part of the prices: their tax is reported
// but not added to the total.
type TaxRate struct {
	Name string `json:"name"`
	Jurisdiction
	Rate      Rate `json:"rate"`
	Inclusive bool `json:"inclusive"`
}

// Tax is the tax one jurisdiction takes from a bill.
type Tax struct {
	Name string `json:"name"`
	Jurisdiction
	Rate      Rate  `json:"rate"`
	Inclusive bool  `json:"inclusive"`
	Amount    int64 `json:"amount"`
}

// Bill is the input of a quote.
type Bill struct {
	Lines    []Line
	Discount Discount
	Taxes    []TaxRate
	// Balance is the customer's credit (positive) available to pay this bill; the quote uses at most the
	// total.
	Balance int64
}

// Quote is what a bill comes to. Total = Subtotal − Discount + the exclusive taxes; AmountDue = Total −
// Balance (the credit used).
type Quote struct {
	Subtotal  int64 `json:"subtotal"`
	Discount  int64 `json:"discount"`
	Taxes     []Tax `json:"taxes"`
	Tax       int64 `json:"tax"`
	Total     int64 `json:"total"`
	Balance   int64 `json:"balance"`
	AmountDue int64 `json:"amount_due"`
}

// Price computes the quote of a bill. Amounts must be non-negative and small enough not to overflow (the
// callers bound them: invoice.MaxAmount, quantity limits).
func Price(b Bill) Quote {
	var q Quote
	for _, l := range b.Lines {
		q.Subtotal += l.UnitAmount * l.Quantity
	}
	q.Discount = min(q.Subtotal, b.Discount.AmountOff+b.Discount.PercentOff.Of(q.Subtotal))
	taxable := q.Subtotal - q.Discount
	q.Total = taxable
	q.Taxes = make([]Tax, 0, len(b.Taxes))
	for _, t := range b.Taxes {
		tax := Tax{Name: t.Name, Jurisdiction: t.Jurisdiction, Rate: t.Rate, Inclusive: t.Inclusive}
		if t.Inclusive {
			// The price holds the tax: taxable = net × (1 + rate), so tax = taxable × rate / (1 + rate).
			tax.Amount = divRound(taxable*int64(t.Rate), int64(Full+t.Rate))
		} else {
			tax.Amount = t.Rate.Of(taxable)
			q.Total += tax.Amount
		}
		q.Tax += tax.Amount
		q.Taxes = append(q.Taxes, tax)
	}
	return q.WithBalance(b.Balance)
}

// InclusiveTax is the part of Tax the prices hold already (the inclusive jurisdictions'); Tax − InclusiveTax
// is what the taxes add to the total.
func (q Quote) InclusiveTax() int64 {
	var tax int64
	for _, t := range q.Taxes {
		if t.Inclusive {
			tax += t.Amount
		}
	}
	return tax
}

// TaxShare is the tax amount holds when amount is a share of the quote's total (a proration of its price):
// the exclusive and inclusive taxes in the quote's own proportions, rounded half up. Nothing of a total of
// zero or less.
func (q Quote) TaxShare(amount int64) (exclusive, inclusive int64) {
	if q.Total <= 0 || amount <= 0 {
		return 0, 0
	}
	inclusive = q.InclusiveTax()
	return divRound(amount*(q.Tax-inclusive), q.Total), divRound(amount*inclusive, q.Total)
}

// WithBalance is the quote paid partly from balance, the customer's credit: Balance is the part of it used
// (never more than the total, nothing of a negative balance) and AmountDue what remains to pay.
func (q Quote) WithBalance(balance int64) Quote {
	q.Balance = min(max(balance, 0), q.Total)
	q.AmountDue = q.Total - q.Balance
	return q
}
