package catalog

import (
	"context"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// SegmentsName and CouponsName are the names and checkpoint keys of the segments and coupons projections.
// Warning: changing one replays the whole log into its table (see projections.Projection.Name).
const (
	SegmentsName = "catalog_segments.v1"
	CouponsName  = "catalog_coupons.v1"
)

// Segments keeps catalog_segments: one row per customer segment, its rules as JSON (rule 12).
func Segments() projections.Projection {
	return projections.Projection{
		Name:   SegmentsName,
		Tables: []string{"catalog_segments"},
		Handlers: []projections.Handler{
			projections.On(applySegmentDefined),
			projections.On(applySegmentChanged),
		},
	}
}

// Coupons keeps catalog_coupons: one row per coupon with the plans and segments it is limited to.
func Coupons() projections.Projection {
	return projections.Projection{
		Name:   CouponsName,
		Tables: []string{"catalog_coupons"},
		Handlers: []projections.Handler{
			projections.On(applyCouponDefined),
			projections.On(applyCouponChanged),
		},
	}
}

func applySegmentDefined(ctx context.Context, tx *sqlx.Tx, e projections.Event[catalog.SegmentDefined]) error {
	return upsertRow(ctx, tx, "catalog_segments", e.Data.SegmentID, e.Revision,
		append(attributeColumns(e.Data.SegmentAttributes), column{"site_id", e.Data.SiteID}))
}

func applySegmentChanged(ctx context.Context, tx *sqlx.Tx, e projections.Event[catalog.SegmentChanged]) error {
	return patchRow(ctx, tx, "catalog_segments", e.Data.SegmentID, e.Revision, patchColumns(e.Data.Changes))
}

func applyCouponDefined(ctx context.Context, tx *sqlx.Tx, e projections.Event[catalog.CouponDefined]) error {
	return upsertRow(ctx, tx, "catalog_coupons", e.Data.CouponID, e.Revision,
		append(attributeColumns(e.Data.CouponAttributes), column{"site_id", e.Data.SiteID}))
}

func applyCouponChanged(ctx context.Context, tx *sqlx.Tx, e projections.Event[catalog.CouponChanged]) error {
	return patchRow(ctx, tx, "catalog_coupons", e.Data.CouponID, e.Revision, patchColumns(e.Data.Changes))
}
