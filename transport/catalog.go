package transport

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// CatalogQueries reads the catalog read models (queries.Catalog). Lookups of one thing return
// queries.ErrNotFound when there is none.
type CatalogQueries interface {
	Site(ctx context.Context, id int64) (queries.Site, error)
	// SiteCatalog is the site with its products (GET /site). Answers are shared: a caching implementation
	// returns the same pointer until the catalog changes, and nobody modifies what it points to.
	SiteCatalog(ctx context.Context, id int64) (*queries.SiteCatalog, error)
	Plan(ctx context.Context, siteID, planID int64) (queries.Plan, error)
	PlansByEmailDomain(ctx context.Context, siteID int64, email string) ([]queries.Plan, error)
	PlansByIP(ctx context.Context, siteID int64, ip netip.Addr) ([]queries.Plan, error)
	EcommerceProducts(ctx context.Context, siteID int64) ([]queries.EcommerceProduct, error)
}

// Who may keep each answer, and how long (spec 1.5). Both 200 and 404 are cached. The IP authorization
// check answers per caller address, which is in neither the URL nor a header a cache can vary on: browsers
// may keep their own answer, shared caches none (docs/http-conventions.md). The e-commerce products may be
// kept up to 30 minutes by the rules, but they show the units each SKU has left, which every order moves:
// one minute keeps a sold-out SKU from showing as in stock for long, and a revalidation costs a 304.
var (
	catalogCache  = cacheFor{maxAge: 5 * time.Minute}
	callerCache   = cacheFor{maxAge: 5 * time.Minute, browserOnly: true}
	productsCache = cacheFor{maxAge: time.Minute}
)

// catalogHandlers serve the public catalog reads of spec 2.3 (#20–#23) and 2.10 (#52). They answer from
// read models only: a catalog import is visible as soon as the projections applied it, and the ETag changes
// with it, so a revalidating client never keeps a stale answer beyond max-age.
type catalogHandlers struct {
	catalog        CatalogQueries
	trustedProxies []netip.Prefix
	log            *slog.Logger
}

// site is GET /site: {"data": Site}, the site with its products and their plans (encoded once per answer).
func (h catalogHandlers) site(w http.ResponseWriter, r *http.Request) {
	info, _ := requestSite(r)
	site, err := h.catalog.SiteCatalog(r.Context(), info.ID)
	if h.failed(w, r, err) {
		return
	}
	encoded, err := siteBodies.body(site)
	if h.failed(w, r, err) {
		return
	}
	writeEncoded(w, r, http.StatusOK, catalogCache, encoded)
}

// plan is GET or POST /plan with plan_id: the plan with its product, 404 for a plan of another site.
func (h catalogHandlers) plan(w http.ResponseWriter, r *http.Request) {
	planID, failure := planIDParam(requestParams(r))
	if failure != "" {
		writeValidation(w, r, fieldErrors{"plan_id": {failure}})
		return
	}
	info, _ := requestSite(r)
	plan, err := h.catalog.Plan(r.Context(), info.ID, planID)
	if errors.Is(err, queries.ErrNotFound) {
		writeCachedError(w, r, http.StatusNotFound, catalogCache, i18n.PlanNotFound)
		return
	}
	if h.failed(w, r, err) {
		return
	}
	writeCached(w, r, http.StatusOK, catalogCache, dataBody{Data: plan})
}

// domainAuthorization is GET /plan/domain/authorization?email=: the free plans whose domains match.
func (h catalogHandlers) domainAuthorization(w http.ResponseWriter, r *http.Request) {
	email, isText := requestParams(r).Text("email")
	if !isText {
		writeValidation(w, r, fieldErrors{"email": {i18n.EmailInvalid}})
		return
	}
	if email == "" {
		writeValidation(w, r, fieldErrors{"email": {i18n.Required("email")}})
		return
	}
	info, _ := requestSite(r)
	plans, err := h.catalog.PlansByEmailDomain(r.Context(), info.ID, email)
	if errors.Is(err, queries.ErrInvalidEmail) {
		writeValidation(w, r, fieldErrors{"email": {i18n.EmailInvalid}})
		return
	}
	h.authorizedPlans(w, r, catalogCache, plans, err)
}

// ipAuthorization is GET /plan/ip/authorization: the free plans whose IP ranges hold the caller's address.
func (h catalogHandlers) ipAuthorization(w http.ResponseWriter, r *http.Request) {
	info, _ := requestSite(r)
	ip, ok := callerIP(r, h.trustedProxies)
	if !ok {
		writeCachedError(w, r, http.StatusNotFound, callerCache, i18n.NoPlansFound)
		return
	}
	plans, err := h.catalog.PlansByIP(r.Context(), info.ID, ip)
	if errors.Is(err, queries.ErrInvalidIP) {
		plans, err = nil, nil
	}
	h.authorizedPlans(w, r, callerCache, plans, err)
}

// authorizedPlans answers an authorization check: the plans, or a cacheable 404 when there are none.
func (h catalogHandlers) authorizedPlans(w http.ResponseWriter, r *http.Request, cache cacheFor, plans []queries.Plan, err error) {
	if h.failed(w, r, err) {
		return
	}
	if len(plans) == 0 {
		writeCachedError(w, r, http.StatusNotFound, cache, i18n.NoPlansFound)
		return
	}
	encoded, err := planListBodies.body(plans)
	if err != nil {
		h.failed(w, r, err)
		return
	}
	writeEncoded(w, r, http.StatusOK, cache, encoded)
}

// ecommerceProducts is GET /ecommerce/products/site/{site_id}: {"data":{"products":[…]}}.
func (h catalogHandlers) ecommerceProducts(w http.ResponseWriter, r *http.Request) {
	info, _ := requestSite(r)
	products, err := h.catalog.EcommerceProducts(r.Context(), info.ID)
	if h.failed(w, r, err) {
		return
	}
	writeCached(w, r, http.StatusOK, productsCache, dataBody{Data: map[string]any{"products": products}})
}

// failed answers 500 and logs when err is set; the client never sees the cause.
func (h catalogHandlers) failed(w http.ResponseWriter, r *http.Request, err error) bool {
	if err == nil {
		return false
	}
	h.log.ErrorContext(r.Context(), "catalog read failed", requestIDs(r), "path", r.URL.Path, "error", err)
	writeError(w, r, http.StatusInternalServerError, i18n.InternalError)
	return true
}

// planIDParam reads the required plan_id. An integer no plan can have (≤ 0) is left to the lookup, which
// answers 404 like any unknown plan.
func planIDParam(params Params) (int64, i18n.MessageID) {
	id, _, err := params.Integer("plan_id", true)
	switch {
	case errors.Is(err, errIntegerRequired):
		return 0, i18n.Required("plan_id")
	case err != nil:
		return 0, i18n.PlanIDInteger
	}
	return id, ""
}
