package transport

import (
	"context"
	"errors"
	"log/slog"
	"math"
	"net/http"
	"net/url"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// SiteInfo is what the HTTP layer needs to know about a site to serve any request for it.
type SiteInfo struct {
	ID        int64
	AccountID int64 // customers are unique per account, shared by all of its sites
	// DefaultLocale is the site's default_locale ("en_US", "fr_CA"); its language is the fallback for
	// callers that name none.
	DefaultLocale string
}

// SiteDirectory answers whether a site exists. It is a port: cmd/pelcro wires it to the site read model.
type SiteDirectory interface {
	// Site returns the site with the id and true, false when there is none, or an error when the question
	// could not be answered (that error becomes a 500, never a 400).
	Site(ctx context.Context, id int64) (SiteInfo, bool, error)
}

// requireSite is the middleware of the site-scoped subrouter: `site_id` (query or body) must name a site
// that exists, otherwise 400 in the validation shape (spec 1.2, 1.7). Once the site is known, its default
// locale joins the language chain.
func requireSite(sites SiteDirectory, log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			id, failure := siteIDParam(siteIDParams(r))
			if failure != "" {
				writeValidation(w, r, fieldErrors{"site_id": {failure}})
				return
			}
			site, found, err := sites.Site(r.Context(), id)
			if err != nil {
				log.ErrorContext(r.Context(), "site lookup failed", requestIDs(r), "site_id", id, "error", err)
				writeError(w, r, http.StatusInternalServerError, i18n.InternalError)
				return
			}
			if !found {
				writeValidation(w, r, fieldErrors{"site_id": {i18n.SiteIDInvalid}})
				return
			}
			state := stateOf(r)
			state.site, state.hasSite = site, true
			explicit, _ := requestParams(r).Text("language")
			useLanguage(w, r, explicit, site.DefaultLocale)
			next.ServeHTTP(w, r)
		})
	}
}

// siteIDParams are the params `site_id` is read from: the path's value for routes that carry it there
// (/ecommerce/products/site/{site_id}), as text like a query value, else the query and body.
func siteIDParams(r *http.Request) Params {
	if text, ok := pathVar(r, "site_id"); ok {
		return paramsFromValues(url.Values{"site_id": {text}})
	}
	return requestParams(r)
}

// siteIDParam reads `site_id` by the API's one integer rule (Params.Integer): nothing is "required", no
// integer is "integer", and an integer no site can have (spec: int32, positive; beyond int64 included) is
// "invalid" without asking the directory.
func siteIDParam(params Params) (int64, i18n.MessageID) {
	id, _, err := params.Integer("site_id", true)
	switch {
	case errors.Is(err, errIntegerRequired):
		return 0, i18n.Required("site_id")
	case errors.Is(err, errNotInteger):
		return 0, i18n.SiteIDInteger
	case err != nil || id <= 0 || id > math.MaxInt32:
		return 0, i18n.SiteIDInvalid
	}
	return id, ""
}
