package subscription

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// phase is a scheduled phase as the resource shows it.
type phase struct {
	PlanID    int64                `json:"plan_id"`
	Terms     subscription.Terms   `json:"terms"`
	Quantity  int64                `json:"quantity"`
	Coupon    *subscription.Coupon `json:"coupon"`
	AddressID int64                `json:"address_id"`
	PaidBy    int64                `json:"paid_by"`
	Gift      bool                 `json:"gift"`
}

// write rewrites the row's columns from the folded state s (encoded: its JSON) at revision, when the row
// is older than it.
func write(ctx context.Context, tx *sqlx.Tx, id int64, revision uint64, s subscription.State, encoded []byte,
	at time.Time) error {
	phases := make([]phase, len(s.Phases))
	for i, p := range s.Phases {
		phases[i] = phase{PlanID: p.Terms.PlanID, Terms: p.Terms, Quantity: p.Quantity, Coupon: p.Coupon,
			AddressID: p.AddressID, PaidBy: p.PaidBy, Gift: p.Gift}
	}
	var coupon any
	if s.Coupon != nil {
		coupon = jsonOf(s.Coupon, "null")
	}
	_, err := tx.ExecContext(ctx, `UPDATE subscriptions SET type = $3, status = $4, plan_id = $5, terms = $6,
		quantity = $7, auto_renew = $8, cancel_at = $9, cancel_mode = $10, cancel_reason = $11, canceled_at = $12,
		ended_at = $13, current_period_start = $14, current_period_end = $15, address_id = $16, coupon = $17,
		phases = $18, billing = $19, latest_invoice = $20, gift_code = $21, is_paid = $22, is_redeemed = $23,
		updated_at = $24, state = $25, revision = $2
		WHERE id = $1 AND revision < $2`,
		id, int64(revision), string(s.Type), string(s.Status), s.Terms.PlanID, jsonOf(s.Terms, "{}"), s.Quantity,
		s.Terms.AutoRenew, nullTime(s.CancelAt), string(s.CancelMode), s.CancelReason, nullTime(s.CanceledAt),
		nullTime(s.EndedAt), s.PeriodStart, s.PeriodEnd, s.AddressID, coupon, jsonOf(phases, "[]"), string(s.Billing),
		s.LatestInvoice, s.GiftCode, isPaid(s), s.GiftRedeemed, at, encoded)
	if err != nil {
		return fmt.Errorf("update subscription %d: %w", id, err)
	}
	return nil
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
