package subscription

import "github.com/pelcro-oss/pelcro-api/aggregates/invoice"

// MaxPeriodAmount is the most one period of a subscription may come to (plan price × quantity, less the
// coupon, plus the taxes): every period is billed as one invoice paid by one card charge, so it shares the
// invoice's limit. Warning: a sale priced above it could be sold but never billed; lowering it ends, at
// their next renewal, the subscriptions priced above the new limit (StartNextPeriod).
const MaxPeriodAmount = invoice.MaxAmount

// RuleTotal: one period comes to more than MaxPeriodAmount. It is reported under quantity, the field the
// customer can lower.
const RuleTotal Rule = "total"

// ReasonAmountTooLarge is the end reason (Ended.Reason, the resource's cancel_reason) of a subscription
// whose next period came to more than MaxPeriodAmount: it cannot be billed, so it is not renewed.
const ReasonAmountTooLarge = "amount_too_large"

// PeriodTotalProblems refuses a sale whose one period comes to total when that is more than one charge
// takes. Sales (create, renew, change, gift terms) check it with the priced total before anything is
// charged or scheduled, so no subscription holds terms the billing clock cannot bill.
func PeriodTotalProblems(total int64) Problems {
	if total > MaxPeriodAmount {
		return Problems{{Field: "quantity", Rule: RuleTotal, Max: MaxPeriodAmount}}
	}
	return nil
}
