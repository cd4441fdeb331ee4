package operator

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// ErrUnknownCustomer is the timeline's answer for a customer the index (projections/customerstreams) has no
// stream of: never registered, or the index is behind.
var ErrUnknownCustomer = errors.New("operator: no such customer")

// ErrBadCursor is the timeline's answer for a cursor it did not write.
var ErrBadCursor = errors.New("operator: malformed timeline cursor")

// TimelineEntry is one line of a customer's timeline: what happened in plain words and who did it, with the
// event it comes from.
type TimelineEntry struct {
	Entry
	// What says what happened in plain English (see Describe); it never holds personal data.
	What string `json:"what"`
	// Who says who acted: "customer 42", "operator (cli)", "system (renewals)".
	Who string `json:"who"`
}

// TimelinePage is one page of a timeline, newest first. Next continues it ("" on the last page).
type TimelinePage struct {
	CustomerID int64           `json:"customer_id"`
	Streams    []string        `json:"streams"`
	Entries    []TimelineEntry `json:"entries"`
	Next       string          `json:"next,omitempty"`
}

// Timeline returns up to limit events of the customer's history across their streams, newest first, none
// older than since (the zero time: no bound), continuing after cursor ("" for the first page). It reads only
// the streams the customer_streams index lists, each backwards from where the cursor left it, so a page costs
// a few short stream reads however long the log is.
func (o *Operator) Timeline(ctx context.Context, customerID int64, since time.Time, limit int, cursor string) (TimelinePage, error) {
	page := TimelinePage{CustomerID: customerID, Entries: []TimelineEntry{}}
	if err := o.DB.SelectContext(ctx, &page.Streams, `SELECT stream FROM customer_streams WHERE customer_id = $1
		ORDER BY stream`, customerID); err != nil {
		return page, fmt.Errorf("operator: streams of customer %d: %w", customerID, err)
	}
	if len(page.Streams) == 0 {
		return page, fmt.Errorf("%w: %d", ErrUnknownCustomer, customerID)
	}
	next, err := parseCursor(cursor, page.Streams)
	if err != nil {
		return page, err
	}
	var read []eventstore.RecordedEvent
	for _, stream := range page.Streams {
		events, err := o.readBack(ctx, stream, next[stream], limit)
		if err != nil {
			return page, err
		}
		read = append(read, events...)
	}
	slices.SortFunc(read, func(a, b eventstore.RecordedEvent) int { return b.Position.Compare(a.Position) })
	ended := len(read) <= limit
	for _, ev := range read[:min(limit, len(read))] {
		if ev.Created.Before(since) {
			ended = true
			break
		}
		e, err := o.entryOf(ev, false)
		if err != nil {
			return page, err
		}
		page.Entries = append(page.Entries, TimelineEntry{Entry: e, What: Describe(e), Who: ActorText(e.Actor)})
		next[ev.StreamID] = int64(ev.Revision) - 1
	}
	if !ended {
		page.Next = writeCursor(next)
	}
	return page, nil
}

// readBack reads up to limit events of stream backwards from revision from (-2: from the end; -1: nothing
// left).
func (o *Operator) readBack(ctx context.Context, stream string, from int64, limit int) ([]eventstore.RecordedEvent, error) {
	start := eventstore.StreamEnd()
	switch {
	case from == -1:
		return nil, nil
	case from >= 0:
		start = eventstore.StreamRevision(uint64(from))
	}
	events, err := o.Store.ReadStream(ctx, stream, eventstore.Backwards, start, limit)
	if errors.Is(err, eventstore.ErrStreamNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("operator: read %s: %w", stream, err)
	}
	return events, nil
}

// parseCursor reads where each stream's next read starts; a stream the cursor does not name (new since)
// starts at its end.
func parseCursor(cursor string, streams []string) (map[string]int64, error) {
	next := map[string]int64{}
	if cursor != "" {
		raw, err := base64.RawURLEncoding.DecodeString(cursor)
		if err != nil || json.Unmarshal(raw, &next) != nil {
			return nil, ErrBadCursor
		}
	}
	for _, s := range streams {
		if _, ok := next[s]; !ok {
			next[s] = -2
		}
	}
	return next, nil
}

func writeCursor(next map[string]int64) string {
	raw, _ := json.Marshal(next) // a map of strings to numbers always encodes
	return base64.RawURLEncoding.EncodeToString(raw)
}

// FindCustomers returns the customers of the site who ever had the email (trimmed, any case), lowest id
// first: an email names one customer at a time, but may have named others before. It reads the index of
// projections/customerstreams, which forgets the emails of erased customers.
func (o *Operator) FindCustomers(ctx context.Context, siteID int64, email string) ([]int64, error) {
	var ids []int64
	err := o.DB.SelectContext(ctx, &ids, `SELECT DISTINCT e.customer_id FROM customer_stream_emails e
		JOIN customer_stream_owners o ON o.customer_id = e.customer_id
		WHERE o.site_id = $1 AND e.email = $2 ORDER BY 1`, siteID, strings.ToLower(strings.TrimSpace(email)))
	if err != nil {
		return nil, fmt.Errorf("operator: find customers by email: %w", err)
	}
	return ids, nil
}
