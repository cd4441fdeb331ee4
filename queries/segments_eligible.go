package queries

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"maps"
	"slices"

	"github.com/lib/pq"
)

// EligiblePlan is a plan (the shape GET /plan serves) with the segments that make the customer eligible.
type EligiblePlan struct {
	Plan
	Segments []SegmentRef `json:"segments"`
}

// EligibleCoupon is a coupon with the segments that make the customer eligible.
type EligibleCoupon struct {
	Coupon
	Segments []SegmentRef `json:"segments"`
}

// EligibleSKU is an e-commerce SKU (the shape GET /ecommerce/products serves) with the segments that make
// the customer eligible.
type EligibleSKU struct {
	SKU
	Segments []SegmentRef `json:"segments"`
}

// Plans returns the site's active plans restricted to segments the customer is in (#13), ordered by id.
// Plans for everybody (no segment_ids) are not listed: they are not eligible through segments. An empty
// list when none qualifies.
func (s Segments) Plans(ctx context.Context, siteID, customerID int64) ([]EligiblePlan, error) {
	return eligible(ctx, s, "catalog_plans", "active", siteID, customerID,
		func(ids pq.Int64Array) ([]Plan, error) {
			return (&Catalog{db: s.DB}).plans(ctx, `p.id = ANY($2)`, siteID, ids)
		},
		func(p Plan) int64 { return p.ID },
		func(p Plan, in []SegmentRef) EligiblePlan { return EligiblePlan{Plan: p, Segments: in} })
}

// Coupons returns the site's coupons restricted to segments the customer is in (#14), ordered by id.
func (s Segments) Coupons(ctx context.Context, siteID, customerID int64) ([]EligibleCoupon, error) {
	return eligible(ctx, s, "catalog_coupons", "true", siteID, customerID,
		func(ids pq.Int64Array) ([]Coupon, error) {
			coupons := []Coupon{}
			err := s.DB.SelectContext(ctx, &coupons, selectCoupons+`k.id = ANY($2) ORDER BY k.id`, siteID, ids)
			return coupons, wrapped(err, "coupons %v of site %d", ids, siteID)
		},
		func(c Coupon) int64 { return c.ID },
		func(c Coupon, in []SegmentRef) EligibleCoupon {
			c.Object = "coupon"
			return EligibleCoupon{Coupon: c, Segments: in}
		})
}

// SKUs returns the site's e-commerce SKUs restricted to segments the customer is in (#15), ordered by id.
func (s Segments) SKUs(ctx context.Context, siteID, customerID int64) ([]EligibleSKU, error) {
	return eligible(ctx, s, "catalog_skus", "true", siteID, customerID,
		func(ids pq.Int64Array) ([]SKU, error) {
			skus := []SKU{}
			err := s.DB.SelectContext(ctx, &skus, selectSKUs+` AND id = ANY($2) ORDER BY id`, siteID, ids)
			return skus, wrapped(err, "SKUs %v of site %d", ids, siteID)
		},
		func(sku SKU) int64 { return sku.ID },
		func(sku SKU, in []SegmentRef) EligibleSKU { return EligibleSKU{SKU: sku, Segments: in} })
}

// eligible lists the items of table (admitted by condition) restricted to segments the customer is in:
// read loads the items of the ids, id names one, wrap pairs it with the segments that admit the customer.
func eligible[T, E any](ctx context.Context, s Segments, table, condition string, siteID, customerID int64,
	read func(pq.Int64Array) ([]T, error), id func(T) int64, wrap func(T, []SegmentRef) E) ([]E, error) {
	segments, err := s.customerSegments(ctx, siteID, customerID)
	if err != nil || len(segments) == 0 {
		return []E{}, err
	}
	restricted, err := s.restrictedIDs(ctx, table, condition, siteID, segments)
	if err != nil || len(restricted) == 0 {
		return []E{}, err
	}
	items, err := read(slices.Sorted(maps.Keys(restricted)))
	if err != nil {
		return nil, err
	}
	out := make([]E, len(items))
	for i, item := range items {
		out[i] = wrap(item, restricted[id(item)])
	}
	return out, nil
}

// PlanAllowed reports whether the customer may take the plan of the site: yes when the plan is for
// everybody, otherwise only when the customer is in one of its segments (rule 12). ErrNotFound for a plan
// the site does not have. The subscription commands call it on create and renew.
func (s Segments) PlanAllowed(ctx context.Context, siteID, customerID, planID int64) (bool, error) {
	return s.allowed(ctx, `SELECT segment_ids FROM catalog_plans WHERE site_id = $1 AND id = $2`, siteID, customerID, planID)
}

// CouponAllowed is PlanAllowed for the coupon of the site with that code.
func (s Segments) CouponAllowed(ctx context.Context, siteID, customerID int64, code string) (bool, error) {
	if !Storable(code) {
		return false, ErrNotFound
	}
	return s.allowed(ctx, `SELECT segment_ids FROM catalog_coupons WHERE site_id = $1 AND code = $2`, siteID, customerID, code)
}

// allowed runs query (site id $1, the item $2) for the item's segment_ids and checks the customer's.
func (s Segments) allowed(ctx context.Context, query string, siteID, customerID int64, item any) (bool, error) {
	var restrictedTo pq.Int64Array
	err := s.DB.GetContext(ctx, &restrictedTo, query, siteID, item)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return false, ErrNotFound
	case err != nil:
		return false, fmt.Errorf("queries: segments of %v on site %d: %w", item, siteID, err)
	case len(restrictedTo) == 0:
		return true, nil
	}
	segments, err := s.customerSegments(ctx, siteID, customerID)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(segments, func(in SegmentRef) bool { return slices.Contains(restrictedTo, in.ID) }), nil
}
