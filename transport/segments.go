package transport

import (
	"context"
	"log/slog"
	"net/http"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// SegmentQueries lists what a customer qualifies for through segments (queries.Segments): the items of
// the site restricted to segments the customer is in, each with those segments.
type SegmentQueries interface {
	Plans(ctx context.Context, siteID, customerID int64) ([]queries.EligiblePlan, error)
	Coupons(ctx context.Context, siteID, customerID int64) ([]queries.EligibleCoupon, error)
	SKUs(ctx context.Context, siteID, customerID int64) ([]queries.EligibleSKU, error)
}

// segmentHandlers serve spec #13–#15 (rule 12, docs/segments.md): {"data": [item, …]}, each item with its
// `segments`, or 404 "No eligible items found". Items for everybody are not listed: they are not eligible
// through segments. The answers depend on the caller's token, so no cache may keep them; they are read
// fresh on every request.
type segmentHandlers struct {
	segments SegmentQueries
	log      *slog.Logger
}

// plans is GET /customer/plans (#13).
func (h segmentHandlers) plans(w http.ResponseWriter, r *http.Request) {
	answerEligible(w, r, h.log, "plans", h.segments.Plans)
}

// coupons is GET /customer/coupons (#14).
func (h segmentHandlers) coupons(w http.ResponseWriter, r *http.Request) {
	answerEligible(w, r, h.log, "coupons", h.segments.Coupons)
}

// skus is GET /customer/product_sku (#15).
func (h segmentHandlers) skus(w http.ResponseWriter, r *http.Request) {
	answerEligible(w, r, h.log, "SKUs", h.segments.SKUs)
}

// answerEligible answers with what list finds for the caller on the request's site.
func answerEligible[T any](w http.ResponseWriter, r *http.Request, log *slog.Logger, what string,
	list func(ctx context.Context, siteID, customerID int64) ([]T, error)) {
	caller := target(r)
	items, err := list(r.Context(), caller.SiteID, caller.CustomerID)
	switch {
	case err != nil:
		internalError(w, r, log, "listing eligible "+what, err)
	case len(items) == 0:
		writeError(w, r, http.StatusNotFound, i18n.NoEligibleItems)
	default:
		writeData(w, http.StatusOK, items)
	}
}
