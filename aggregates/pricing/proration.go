package pricing

import "time"

// Period is a service period [Start, End).
type Period struct {
	Start time.Time
	End   time.Time
}

// Unused is the share of amount (what was paid for the whole period) that covers the time from at to the
// end of the period, rounded half up; zero outside the period. It is the credit a customer gets when a plan
// is changed or cancelled at instant at.
func (p Period) Unused(amount int64, at time.Time) int64 {
	total := p.End.Sub(p.Start)
	if total <= 0 || !at.Before(p.End) {
		return 0
	}
	if at.Before(p.Start) {
		return amount
	}
	remaining := p.End.Sub(at)
	// Whole seconds keep the product far from overflowing: amounts are below 10^8 and periods of ten years
	// are below 3.2×10^8 seconds.
	return divRound(amount*int64(remaining/time.Second), int64(total/time.Second))
}

// Proration is what changing from one price to another at an instant costs, for the rest of the period.
type Proration struct {
	// Credit is the unused part of what the old price paid.
	Credit int64 `json:"credit"`
	// Charge is the new price for the rest of the period.
	Charge int64 `json:"charge"`
}

// Net is Charge − Credit: positive is owed now, negative is credited to the customer's balance.
func (p Proration) Net() int64 { return p.Charge - p.Credit }

// Prorate is the proration of moving, at instant at, from a period paid oldAmount to newAmount for the same
// period.
func Prorate(p Period, oldAmount, newAmount int64, at time.Time) Proration {
	return Proration{Credit: p.Unused(oldAmount, at), Charge: p.Unused(newAmount, at)}
}
