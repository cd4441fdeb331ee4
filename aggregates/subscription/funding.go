package subscription

import "slices"

// maxFunding bounds State.Funding. A credit kept for many periods would otherwise grow the state with every
// renewal; with the oldest invoices dropped, a refund stops short of them rather than refunding more than
// the invoices left were charged.
const maxFunding = 12

// fund adds invoiceID (0: nothing billed) to the invoices funding the subscription. It appends to a clipped
// slice: states are values, and an append into a shared backing array would change an earlier state.
func fund(funding []int64, invoiceID int64) []int64 {
	if invoiceID == 0 || slices.Contains(funding, invoiceID) {
		return funding
	}
	funding = append(slices.Clip(funding), invoiceID)
	return funding[max(0, len(funding)-maxFunding):]
}

// fundPeriod is what funds the subscription once a new period starts, paid by paidBy (0: nothing charged)
// with creditUsed of its credit. The period before is used up, so its invoices no longer fund anything,
// unless the credit still holds value they paid for (credit left, or some of it paying the new period).
func fundPeriod(s State, creditUsed, paidBy int64) []int64 {
	if s.Credit <= 0 && creditUsed <= 0 {
		return fund(nil, paidBy)
	}
	return fund(s.Funding, paidBy)
}
