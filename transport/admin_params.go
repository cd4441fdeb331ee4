package transport

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// MaxAdminLimit is the most entries a page of the admin API holds; the operator commands' --limit takes the
// same bound, so both tools refuse the same pages alike.
const MaxAdminLimit = 500

const (
	defaultAdminLimit = 50
	maxAdminCursor    = 256 // cursors are positions: far shorter; longer input is not one
)

// errNotInAccount is a customer unknown, or of another account: both answer alike, so a key cannot learn
// which ids exist elsewhere.
var errNotInAccount = errors.New("transport: no such customer in the account")

// accountCustomer returns the customer the path names if it belongs to the caller's account, or
// errNotInAccount. This is where every customer read of /admin is scoped: AdminReads is only asked about a
// customer this returned.
func accountCustomer(ctx context.Context, reads AdminReads, r *http.Request) (queries.Customer, error) {
	id, ok := pathID(r, "customer_id")
	if !ok {
		return queries.Customer{}, errNotInAccount
	}
	c, err := reads.Customer(ctx, id)
	if errors.Is(err, queries.ErrNotFound) || (err == nil && c.AccountID != adminKey(r).AccountID) {
		return queries.Customer{}, errNotInAccount
	}
	return c, err
}

// adminPage reads since, cursor, limit and reveal from the query string; the message says what is wrong.
func adminPage(r *http.Request) (AdminPage, i18n.MessageID, bool) {
	q := r.URL.Query()
	page := AdminPage{Limit: defaultAdminLimit, Cursor: q.Get("cursor")}
	switch q.Get("reveal") {
	case "", "false":
	case "true":
		page.Reveal = true
	default:
		return AdminPage{}, i18n.AdminRevealInvalid, false
	}
	if len(page.Cursor) > maxAdminCursor {
		page.Cursor = page.Cursor[:maxAdminCursor]
	}
	if since := q.Get("since"); since != "" {
		t, ok := parseAdminTime(since)
		if !ok {
			return AdminPage{}, i18n.AdminTimeInvalid, false
		}
		page.Since = t
	}
	if limit := q.Get("limit"); limit != "" {
		n, err := strconv.Atoi(limit)
		if err != nil || n < 1 || n > MaxAdminLimit {
			return AdminPage{}, i18n.AdminLimitInvalid, false
		}
		page.Limit = n
	}
	return page, "", true
}

// adminInstant reads ?position= or else ?at=; the message says what is wrong.
func adminInstant(r *http.Request) (AdminInstant, i18n.MessageID, bool) {
	q := r.URL.Query()
	if position := q.Get("position"); position != "" {
		commit, prepare, found := strings.Cut(position, "/")
		_, err1 := strconv.ParseUint(commit, 10, 64)
		_, err2 := strconv.ParseUint(prepare, 10, 64)
		if !found || err1 != nil || err2 != nil {
			return AdminInstant{}, i18n.AdminPositionInvalid, false
		}
		return AdminInstant{Position: position}, "", true
	}
	at, ok := parseAdminTime(q.Get("at"))
	if !ok {
		return AdminInstant{}, i18n.AdminTimeInvalid, false
	}
	return AdminInstant{Time: at}, "", true
}

// describe says the instant in words, for pages.
func (in AdminInstant) describe() string {
	if in.Position != "" {
		return "position " + in.Position
	}
	return adminTime(in.Time.Unix()) + " UTC"
}

// parseAdminTime reads an instant as RFC 3339 or Unix seconds.
func parseAdminTime(s string) (time.Time, bool) {
	s = strings.TrimSpace(s)
	if t, err := time.Parse(time.RFC3339, s); err == nil {
		return t.UTC(), true
	}
	if secs, err := strconv.ParseInt(s, 10, 64); err == nil && secs >= 0 && secs < 1<<40 {
		return time.Unix(secs, 0).UTC(), true
	}
	return time.Time{}, false
}
