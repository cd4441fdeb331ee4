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
// older than since (the zero time: no bound), continuing after cursor ("" for the first page).
//
// It never scans the log, nor every stream of the customer: the customer_streams index (projections/
// customerstreams) lists the customer's streams with the positions of their first and last events, and the
// page reads them newest last event first, stopping at the first stream whose last event is older than the
// page's oldest entry so far. A page thus reads about as many streams as it has entries at most, each
// backwards from where the cursor left it, whatever the length of the log or the number of the customer's
// streams.
func (o *Operator) Timeline(ctx context.Context, customerID int64, since time.Time, limit int, cursor string) (TimelinePage, error) {
	page := TimelinePage{CustomerID: customerID, Entries: []TimelineEntry{}}
	heads, err := o.customerStreams(ctx, customerID)
	if err != nil {
		return page, err
	}
	if len(heads) == 0 {
		return page, fmt.Errorf("%w: %d", ErrUnknownCustomer, customerID)
	}
	for _, h := range heads {
		page.Streams = append(page.Streams, h.stream)
	}
	at, err := parseCursor(cursor, customerID, heads)
	if err != nil {
		return page, err
	}
	read, complete, err := o.pageCandidates(ctx, heads, at, limit)
	if err != nil {
		return page, err
	}
	ended := complete && len(read) <= limit
	next := cursorState{Customer: customerID, Next: map[string]int64{}}
	for stream, rev := range at.Next {
		next.Next[stream] = rev
	}
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
		next.Next[ev.StreamID] = int64(ev.Revision) - 1
		next.Before = &e.Position
	}
	if !ended && next.Before != nil {
		page.Next = next.write()
	}
	return page, nil
}

// fromEnd is the revision readBack reads a stream from its end with.
const fromEnd = -2

// readBack reads up to limit events of stream backwards from revision from (fromEnd: from the end; -1:
// nothing left).
func (o *Operator) readBack(ctx context.Context, stream string, from int64, limit int) ([]eventstore.RecordedEvent, error) {
	start := eventstore.StreamEnd()
	switch {
	case from == -1:
		return nil, nil
	case from >= 0:
		start = eventstore.StreamRevision(uint64(from))
	}
	events, err := o.Store.ReadStream(ctx, stream, eventstore.Backwards, start, limit)
	if err != nil && !errors.Is(err, eventstore.ErrStreamNotFound) {
		return nil, fmt.Errorf("operator: read %s: %w", stream, err)
	}
	if from >= 0 && (len(events) == 0 || events[0].Revision != uint64(from)) {
		// A cursor only ever says to read on from an event it stopped after, which exists.
		return nil, fmt.Errorf("%w: %s has no revision %d", ErrBadCursor, stream, from)
	}
	return events, nil
}

// cursorState is what a timeline cursor carries: whose timeline it pages, the position of the last entry
// given, and, for the streams read so far, the revision the next read starts at. A stream it does not name is
// read from its end, keeping only events before that position.
type cursorState struct {
	Customer int64                `json:"customer"`
	Before   *eventstore.Position `json:"before,omitempty"`
	Next     map[string]int64     `json:"next,omitempty"`
}

// parseCursor reads a cursor of the timeline of the customer whose streams are heads; ErrBadCursor for one
// of another customer, or naming a stream not theirs.
func parseCursor(cursor string, customerID int64, heads []streamHead) (cursorState, error) {
	var c cursorState
	if cursor == "" {
		return c, nil
	}
	if !decodeCursor(cursor, &c) || c.Before == nil || c.Customer != customerID {
		return cursorState{}, ErrBadCursor
	}
	for stream, rev := range c.Next {
		if rev < 0 || !holdsStream(heads, stream) {
			return cursorState{}, fmt.Errorf("%w: %s@%d is not in customer %d's streams", ErrBadCursor, stream, rev, customerID)
		}
	}
	return c, nil
}

// decodeCursor decodes a page cursor (base64url of JSON, as the pages write them) into into; false for
// anything else.
func decodeCursor(cursor string, into any) bool {
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	return err == nil && json.Unmarshal(raw, into) == nil
}

// holdsStream reports whether stream is one of heads: a cursor names only the customer's own streams.
func holdsStream(heads []streamHead, stream string) bool {
	return slices.ContainsFunc(heads, func(h streamHead) bool { return h.stream == stream })
}

func (c cursorState) write() string {
	for stream, rev := range c.Next {
		if rev < 0 { // read to its start: its first event is on a page already, so no later page reads it
			delete(c.Next, stream)
		}
	}
	raw, _ := json.Marshal(c) // a position and a map of strings to numbers always encode
	return base64.RawURLEncoding.EncodeToString(raw)
}

// CustomerOnSite answers ErrUnknownCustomer, as Timeline does for a customer that never was, unless the
// index (projections/customerstreams) places the customer on the site: a site given with a customer id
// then cannot tell which site the customer is on.
func (o *Operator) CustomerOnSite(ctx context.Context, customerID, siteID int64) error {
	var on bool
	err := o.DB.GetContext(ctx, &on, `SELECT EXISTS (SELECT 1 FROM customer_stream_owners WHERE customer_id = $1 AND site_id = $2)`,
		customerID, siteID)
	if err != nil {
		return fmt.Errorf("operator: site of customer %d: %w", customerID, err)
	}
	if !on {
		return fmt.Errorf("%w: %d", ErrUnknownCustomer, customerID)
	}
	return nil
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
