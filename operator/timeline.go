package operator

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strconv"
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
	if err := o.DB.SelectContext(ctx, &page.Streams, `SELECT stream FROM customer_streams WHERE customer_id = $1
		ORDER BY stream`, customerID); err != nil {
		return page, fmt.Errorf("operator: streams of customer %d: %w", customerID, err)
	}
	if len(page.Streams) == 0 {
		return page, fmt.Errorf("%w: %d", ErrUnknownCustomer, customerID)
	}
	at, err := parseCursor(cursor)
	if err != nil {
		return page, err
	}
	read, complete, err := o.pageCandidates(ctx, customerID, at, limit)
	if err != nil {
		return page, err
	}
	ended := complete && len(read) <= limit
	next := cursorState{Next: map[string]int64{}}
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

// pageCandidates reads, newest first, the events that may be on the page after at: up to limit of each
// stream that can hold one, in the order of their last events, until the streams left are all older than the
// limit-th newest event read. complete is false when events older than those read may remain.
func (o *Operator) pageCandidates(ctx context.Context, customerID int64, at cursorState, limit int) (read []eventstore.RecordedEvent, complete bool, err error) {
	var before *string
	if at.Before != nil {
		s := strconv.FormatUint(at.Before.Commit, 10) + "/" + strconv.FormatUint(at.Before.Prepare, 10)
		before = &s
	}
	var heads []struct {
		Stream  string `db:"stream"`
		Commit  string `db:"last_commit"`
		Prepare string `db:"last_prepare"`
	}
	err = o.DB.SelectContext(ctx, &heads, `SELECT s.stream, p.last_commit::text, p.last_prepare::text
		FROM customer_streams s JOIN customer_stream_positions p ON p.stream = s.stream
		WHERE s.customer_id = $1 AND ($2::text IS NULL OR (p.first_commit, p.first_prepare) <
			(split_part($2, '/', 1)::numeric, split_part($2, '/', 2)::numeric))
		ORDER BY p.last_commit DESC, p.last_prepare DESC`, customerID, before)
	if err != nil {
		return nil, false, fmt.Errorf("operator: streams of customer %d: %w", customerID, err)
	}
	complete = true
	for _, h := range heads {
		last, err := ParsePosition(h.Commit + "/" + h.Prepare)
		if err != nil {
			return nil, false, err
		}
		if len(read) >= limit && last.Compare(read[limit-1].Position) < 0 {
			return read, false, nil
		}
		from, ok := at.Next[h.Stream]
		if !ok {
			from = fromEnd
		}
		events, err := o.readBack(ctx, h.Stream, from, limit)
		if err != nil {
			return nil, false, err
		}
		complete = complete && len(events) < limit
		for _, ev := range events {
			if at.Before == nil || ev.Position.Compare(*at.Before) < 0 {
				read = append(read, ev)
			}
		}
		slices.SortFunc(read, func(a, b eventstore.RecordedEvent) int { return b.Position.Compare(a.Position) })
	}
	return read, complete, nil
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
	if errors.Is(err, eventstore.ErrStreamNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, fmt.Errorf("operator: read %s: %w", stream, err)
	}
	return events, nil
}

// cursorState is what a timeline cursor carries: the position of the last entry given, and, for the streams
// read so far, the revision the next read starts at. A stream it does not name is read from its end, keeping
// only events before that position.
type cursorState struct {
	Before *eventstore.Position `json:"before,omitempty"`
	Next   map[string]int64     `json:"next,omitempty"`
}

func parseCursor(cursor string) (cursorState, error) {
	var c cursorState
	if cursor == "" {
		return c, nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(cursor)
	if err != nil || json.Unmarshal(raw, &c) != nil || c.Before == nil {
		return cursorState{}, ErrBadCursor
	}
	return c, nil
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
