package subscription

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// phase is a scheduled phase as the resource shows it.
type phase struct {
	PlanID    int64              `json:"plan_id"`
	Terms     subscription.Terms `json:"terms"`
	Quantity  int64              `json:"quantity"`
	Coupon    *coupon            `json:"coupon"`
	AddressID int64              `json:"address_id"`
	PaidBy    int64              `json:"paid_by"`
	Gift      bool               `json:"gift"`
}

// coupon is a subscription's coupon as the resource shows it: percent_off a percentage, as the catalog
// gives it (10 for 10 %), not the thousandths of a percent the aggregate computes with.
type coupon struct {
	ID               int64   `json:"id"`
	Code             string  `json:"code"`
	PercentOff       float64 `json:"percent_off,omitempty"`
	AmountOff        int64   `json:"amount_off,omitempty"`
	Duration         string  `json:"duration"`
	DurationInMonths int64   `json:"duration_in_months,omitempty"`
}

// couponOf is the resource's view of c; nil for none.
func couponOf(c *subscription.Coupon) *coupon {
	if c == nil {
		return nil
	}
	return &coupon{ID: c.ID, Code: c.Code, PercentOff: c.PercentOff.Percent(), AmountOff: c.AmountOff,
		Duration: c.Duration, DurationInMonths: c.DurationInMonths}
}

// foldedColumns are the columns derived from the folded state, in the order folded gives their values.
const foldedColumns = `type, status, plan_id, terms, quantity, auto_renew, cancel_at, cancel_mode, cancel_reason,
	canceled_at, ended_at, current_period_start, current_period_end, address_id, coupon, phases, billing,
	latest_invoice, gift_code, is_paid, is_redeemed, days_until_due, updated_at, state`

// write rewrites the row's columns from the folded state s (encoded: its JSON) at revision, when the row
// is older than it.
func write(ctx context.Context, tx *sqlx.Tx, id int64, revision uint64, s subscription.State, encoded []byte,
	at time.Time) error {
	args := append([]any{id, int64(revision)}, folded(s, encoded, at)...)
	_, err := tx.ExecContext(ctx, `UPDATE subscriptions SET (`+foldedColumns+`, revision) = (`+
		placeholders(3, len(args)-2)+`, $2) WHERE id = $1 AND revision < $2`, args...)
	if err != nil {
		return fmt.Errorf("update subscription %d: %w", id, err)
	}
	return nil
}

// folded are the values of foldedColumns for the folded state s (encoded: its JSON), updated at.
func folded(s subscription.State, encoded []byte, at time.Time) []any {
	phases := make([]phase, len(s.Phases))
	for i, p := range s.Phases {
		phases[i] = phase{PlanID: p.Terms.PlanID, Terms: p.Terms, Quantity: p.Quantity, Coupon: couponOf(p.Coupon),
			AddressID: p.AddressID, PaidBy: p.PaidBy, Gift: p.Gift}
	}
	var applied any
	if s.Coupon != nil {
		applied = jsonOf(couponOf(s.Coupon), "null")
	}
	return []any{string(s.Type), string(s.Status), s.Terms.PlanID, jsonOf(s.Terms, "{}"), s.Quantity,
		s.AutoRenews(), nullTime(s.CancelAt), string(s.CancelMode), s.CancelReason, nullTime(s.CanceledAt),
		nullTime(s.EndedAt), s.PeriodStart, s.PeriodEnd, s.AddressID, applied, jsonOf(phases, "[]"), string(s.Billing),
		s.LatestInvoice, s.GiftCode, isPaid(s), s.GiftRedeemed, s.InvoiceDays(), at, encoded}
}

// placeholders is "$first, …" for n parameters.
func placeholders(first, n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString("$" + strconv.Itoa(first+i))
	}
	return b.String()
}

// isPaid: a gift is paid once its invoice is; any other subscription once nothing of it waits for payment.
func isPaid(s subscription.State) bool {
	if s.Type == subscription.TypeGiftDonor {
		return s.GiftPaid
	}
	return s.Unsettled == 0
}

// jsonOf is v as JSON text, or empty (the column's empty value) when v is nil or empty.
func jsonOf(v any, empty string) string {
	encoded, err := json.Marshal(v)
	if err != nil || string(encoded) == "null" {
		return empty
	}
	return string(encoded)
}

// nullTime is nil for the zero time (a date the subscription does not have).
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}
