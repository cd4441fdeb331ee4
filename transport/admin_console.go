package transport

import (
	"encoding/json"
	"errors"
	"net/http"
	"time"

	"github.com/pelcro-oss/pelcro-api/internal/apikeys"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// consolePage is what every console template may show; each page fills its part.
type consolePage struct {
	Title   string
	Problem string
	Key     apikeys.Key
	Query   string
	// home
	Projections []AdminProjection
	// customers
	Matches     []queries.CustomerMatch
	MoreMatches bool // more customers match than the page shows
	// customer and as_of
	Customer queries.Customer
	Timeline AdminTimeline
	At       string
	AsOf     string
	Then     *queries.Customer
	JSON     string
}

// consoleHandlers serve the console's pages: the same reads as the admin API, for a signed-in key.
type consoleHandlers struct {
	deps Dependencies
}

func (h consoleHandlers) page(r *http.Request, title string) consolePage {
	return consolePage{Title: title, Key: adminKey(r), Query: r.URL.Query().Get("q")}
}

// home shows the read models' health and the customer search.
func (h consoleHandlers) home(w http.ResponseWriter, r *http.Request) {
	page := h.page(r, "Home")
	list, err := h.deps.AdminReads.Projections(r.Context())
	if err != nil {
		h.failed(w, r, "reading the projections' status", err)
		return
	}
	page.Projections = list
	renderConsole(w, r, h.deps.Logger, http.StatusOK, "home", page)
}

func (h consoleHandlers) search(w http.ResponseWriter, r *http.Request) {
	page := h.page(r, "Customers")
	matches, more, err := searchCustomers(r, h.deps.AdminReads, defaultAdminLimit)
	if err != nil {
		h.failed(w, r, "searching customers", err)
		return
	}
	page.Matches, page.MoreMatches = matches, more
	renderConsole(w, r, h.deps.Logger, http.StatusOK, "customers", page)
}

// customer shows the customer's audit timeline, a page at a time, and the as-of form.
func (h consoleHandlers) customer(w http.ResponseWriter, r *http.Request) {
	page, ok := h.customerPage(w, r, "Customer")
	if !ok {
		return
	}
	timeline, err := h.deps.AdminReads.Timeline(r.Context(), page.Customer.ID,
		AdminPage{Cursor: r.URL.Query().Get("cursor"), Limit: defaultAdminLimit})
	switch {
	case errors.Is(err, ErrAdminCursor):
		h.refused(w, r, i18n.AdminCursorInvalid)
		return
	case err != nil:
		h.failed(w, r, "reading a customer's timeline", err)
		return
	}
	page.Timeline, page.At = timeline, time.Now().UTC().Format(time.RFC3339)
	renderConsole(w, r, h.deps.Logger, http.StatusOK, "customer", page)
}

// asOf shows the Customer resource as it was at ?at=.
func (h consoleHandlers) asOf(w http.ResponseWriter, r *http.Request) {
	page, ok := h.customerPage(w, r, "As of")
	if !ok {
		return
	}
	at, problem, ok := adminInstant(r)
	if !ok {
		h.refused(w, r, problem)
		return
	}
	page.AsOf = at.describe()
	then, err := h.deps.AdminReads.CustomerAsOf(r.Context(), page.Customer.ID, at)
	if err != nil && !errors.Is(err, queries.ErrNotFound) {
		h.failed(w, r, "folding a customer as of an instant", err)
		return
	}
	if err == nil {
		resource, _ := json.MarshalIndent(then, "", "  ")
		page.Then, page.JSON = &then, string(resource)
	}
	renderConsole(w, r, h.deps.Logger, http.StatusOK, "as_of", page)
}

// customerPage finds the customer the path names in the signed-in account; otherwise it answers 404.
func (h consoleHandlers) customerPage(w http.ResponseWriter, r *http.Request, title string) (consolePage, bool) {
	page := h.page(r, title)
	c, err := accountCustomer(r.Context(), h.deps.AdminReads, r)
	switch {
	case errors.Is(err, errNotInAccount):
		page.Title, page.Problem = "Not found", "No customer with this id in your account."
		renderConsole(w, r, h.deps.Logger, http.StatusNotFound, "home", page)
	case err != nil:
		h.failed(w, r, "reading a customer", err)
	default:
		page.Customer = c
		return page, true
	}
	return consolePage{}, false
}

// refused answers 400 with a page saying only what is wrong with the request.
func (h consoleHandlers) refused(w http.ResponseWriter, r *http.Request, problem i18n.MessageID) {
	renderConsoleProblem(w, r, h.deps.Logger, http.StatusBadRequest, "Bad request", problem)
}

// failed logs a read that failed and answers 500 with a page saying so.
func (h consoleHandlers) failed(w http.ResponseWriter, r *http.Request, what string, err error) {
	h.deps.Logger.ErrorContext(r.Context(), what, requestIDs(r), "error", err)
	page := h.page(r, "Something failed")
	page.Problem = "Something failed while " + what + "; the log has the details (request " + stateOf(r).id + ")."
	renderConsole(w, r, h.deps.Logger, http.StatusInternalServerError, "error", page)
}
