package transport

import (
	"context"
	"errors"
	"net/http"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// AdminAPIPath is where the admin API lives (docs/operations.md).
const AdminAPIPath = "/admin/api"

// adminAPIHandlers serve /admin/api: plain JSON objects (no data envelope), errors in the error shape.
type adminAPIHandlers struct {
	deps Dependencies
}

func (h adminAPIHandlers) projections(w http.ResponseWriter, r *http.Request) {
	list, err := h.deps.AdminReads.Projections(r.Context())
	if err != nil {
		internalError(w, r, h.deps.Logger, "reading the projections' status", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"projections": list})
}

// searchCustomers is GET /admin/api/customers?q=ID|EMAIL PREFIX&limit=N.
func (h adminAPIHandlers) searchCustomers(w http.ResponseWriter, r *http.Request) {
	page, problem, ok := adminPage(r)
	if !ok {
		writeError(w, r, http.StatusBadRequest, problem)
		return
	}
	matches, more, err := searchCustomers(r, h.deps.AdminReads, page.Limit)
	if err != nil {
		internalError(w, r, h.deps.Logger, "searching customers", err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]any{"customers": matches, "has_more": more})
}

// searchCustomers returns up to limit customers of the caller's account matching ?q=, and whether more
// match (it asks for one more).
func searchCustomers(r *http.Request, reads AdminReads, limit int) ([]queries.CustomerMatch, bool, error) {
	matches, err := reads.SearchCustomers(r.Context(), adminKey(r).AccountID, r.URL.Query().Get("q"), limit+1)
	if err != nil || len(matches) <= limit {
		return matches, false, err
	}
	return matches[:limit], true, nil
}

func (h adminAPIHandlers) customer(w http.ResponseWriter, r *http.Request) {
	if c, ok := h.accountCustomer(w, r); ok {
		writeJSON(w, http.StatusOK, h.resource(r, c))
	}
}

// timeline is GET /admin/api/customers/{id}/timeline.
func (h adminAPIHandlers) timeline(w http.ResponseWriter, r *http.Request) {
	h.history(w, r, "reading a customer's timeline", func(ctx context.Context, id int64, page AdminPage) (any, error) {
		return h.deps.AdminReads.Timeline(ctx, id, page)
	})
}

// events is GET /admin/api/customers/{id}/events.
func (h adminAPIHandlers) events(w http.ResponseWriter, r *http.Request) {
	h.history(w, r, "reading a customer's events", func(ctx context.Context, id int64, page AdminPage) (any, error) {
		return h.deps.AdminReads.Events(ctx, id, page)
	})
}

// history answers a page of the customer's history that read returns: 400 for a bad page or cursor, 404 for
// a customer outside the account.
func (h adminAPIHandlers) history(w http.ResponseWriter, r *http.Request, what string,
	read func(context.Context, int64, AdminPage) (any, error)) {
	c, page, ok := h.customerPage(w, r)
	if !ok {
		return
	}
	answer, err := read(r.Context(), c.ID, page)
	switch {
	case errors.Is(err, ErrAdminCursor):
		writeError(w, r, http.StatusBadRequest, i18n.AdminCursorInvalid)
	case err != nil:
		internalError(w, r, h.deps.Logger, what, err)
	default:
		writeJSON(w, http.StatusOK, answer)
	}
}

// asOf is GET /admin/api/customers/{id}/as-of?at=T|position=P: the Customer resource as it was then (404
// before the customer existed).
func (h adminAPIHandlers) asOf(w http.ResponseWriter, r *http.Request) {
	at, problem, ok := adminInstant(r)
	if !ok {
		writeError(w, r, http.StatusBadRequest, problem)
		return
	}
	c, ok := h.accountCustomer(w, r)
	if !ok {
		return
	}
	then, err := h.deps.AdminReads.CustomerAsOf(r.Context(), c.ID, at)
	switch {
	case errors.Is(err, queries.ErrNotFound):
		writeError(w, r, http.StatusNotFound, i18n.AdminCustomerNotFound)
	case err != nil:
		internalError(w, r, h.deps.Logger, "folding a customer as of an instant", err)
	default:
		asOf := map[string]any{"customer": h.resource(r, then)}
		if at.Position != "" {
			asOf["position"] = at.Position
		} else {
			asOf["as_of"] = at.Time.Unix()
		}
		writeJSON(w, http.StatusOK, asOf)
	}
}

// customerPage is accountCustomer and adminPage, answering the request when either fails.
func (h adminAPIHandlers) customerPage(w http.ResponseWriter, r *http.Request) (queries.Customer, AdminPage, bool) {
	page, problem, ok := adminPage(r)
	if !ok {
		writeError(w, r, http.StatusBadRequest, problem)
		return queries.Customer{}, AdminPage{}, false
	}
	c, ok := h.accountCustomer(w, r)
	return c, page, ok
}

// accountCustomer is the package's accountCustomer answering 404 or 500 itself.
func (h adminAPIHandlers) accountCustomer(w http.ResponseWriter, r *http.Request) (queries.Customer, bool) {
	c, err := accountCustomer(r.Context(), h.deps.AdminReads, r)
	switch {
	case errors.Is(err, errNotInAccount):
		writeError(w, r, http.StatusNotFound, i18n.AdminCustomerNotFound)
	case err != nil:
		internalError(w, r, h.deps.Logger, "reading a customer", err)
	default:
		return c, true
	}
	return queries.Customer{}, false
}

// resource is the Customer resource as the Open API shows it, its photo as a URL.
func (h adminAPIHandlers) resource(r *http.Request, c queries.Customer) queries.Customer {
	if c.ProfilePhoto != "" && h.deps.Photos != nil {
		url := h.deps.Photos.URL(publicBase(r, h.deps.PublicURL), c.ProfilePhoto)
		c.ProfilePhotoURL = &url
	}
	return c
}
