package queries

import (
	"encoding/json"
	"fmt"
)

// Coupon is a coupon code of a site (catalog_coupons): a percentage or a fixed amount off, once, forever or
// for a number of months, limited to PlanIDs when it lists any. Fields that do not apply to its kind are
// null: amount_off and currency for a percentage, percent_off for an amount, duration_in_months unless the
// duration is repeating.
type Coupon struct {
	ID               int64    `db:"id" json:"id"`
	Object           string   `db:"-" json:"object"`
	Code             string   `db:"code" json:"code"`
	Name             string   `db:"name" json:"name"`
	PercentOff       *float64 `db:"percent_off" json:"percent_off"`
	AmountOff        *int64   `db:"amount_off" json:"amount_off"`
	Currency         *string  `db:"currency" json:"currency"`
	Duration         string   `db:"duration" json:"duration"`
	DurationInMonths *int64   `db:"duration_in_months" json:"duration_in_months"`
	PlanIDs          IDs      `db:"plan_ids" json:"plan_ids"`
}

// selectCoupons reads coupons; the caller appends the conditions (the coupon is k) and binds the site id as
// $1.
const selectCoupons = `SELECT k.id, k.code, k.name, NULLIF(k.percent_off, 0) AS percent_off,
	NULLIF(k.amount_off, 0) AS amount_off, NULLIF(k.currency, '') AS currency, k.duration,
	NULLIF(k.duration_in_months, 0) AS duration_in_months, array_to_json(k.plan_ids) AS plan_ids
	FROM catalog_coupons k WHERE k.site_id = $1 AND `

// IDs is a list of ids read from a bigint[] column selected as JSON (array_to_json). It is never nil once
// scanned, so it encodes as [] rather than null.
type IDs []int64

// Scan decodes a JSON array.
func (ids *IDs) Scan(src any) error {
	list := []int64{}
	switch v := src.(type) {
	case []byte:
		if err := json.Unmarshal(v, &list); err != nil {
			return fmt.Errorf("queries: decode id list: %w", err)
		}
	case string:
		if err := json.Unmarshal([]byte(v), &list); err != nil {
			return fmt.Errorf("queries: decode id list: %w", err)
		}
	case nil:
	default:
		return fmt.Errorf("queries: cannot scan %T into IDs", src)
	}
	*ids = list
	return nil
}
