package operator

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"slices"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// CustomerEventsPage is one page of the raw events of a customer's streams, oldest first. Next continues it
// ("" on the last page).
type CustomerEventsPage struct {
	Entries []Entry
	Next    string
}

// eventsCursor is what a CustomerEvents cursor carries: whose events it pages, and for each stream read so
// far the revision the next read starts at. Binding it to the customer lets a cursor be checked against the
// customer's own streams, so one the method never wrote is refused rather than read.
type eventsCursor struct {
	Customer int64             `json:"customer"`
	Next     map[string]uint64 `json:"next"`
}

// CustomerEvents returns up to limit events of the customer's streams (the customer_streams index) in log
// order, continuing after cursor ("" for the first page); ErrBadCursor for a cursor it did not write for
// this customer: not its shape, another customer's, a stream not the customer's, or a revision past a
// stream's end.
//
// Each stream is read limit+1 events forwards from its cursor revision and the reads are merged: when the
// merge holds more than limit events, at least one is left for the next page; when it holds limit or fewer,
// every stream was read to its end, so the page is the last.
func (o *Operator) CustomerEvents(ctx context.Context, customerID int64, cursor string, limit int, reveal bool) (CustomerEventsPage, error) {
	heads, err := o.customerStreams(ctx, customerID)
	if err != nil {
		return CustomerEventsPage{}, err
	}
	at, err := parseEventsCursor(cursor, customerID, heads)
	if err != nil {
		return CustomerEventsPage{}, err
	}
	var read []eventstore.RecordedEvent
	for _, h := range heads {
		events, err := o.readForwards(ctx, h.stream, at.Next[h.stream], limit+1)
		if err != nil {
			return CustomerEventsPage{}, err
		}
		read = append(read, events...)
	}
	slices.SortFunc(read, func(x, y eventstore.RecordedEvent) int { return x.Position.Compare(y.Position) })
	page := CustomerEventsPage{}
	if page.Entries, err = o.entries(read[:min(limit, len(read))], reveal); err != nil {
		return CustomerEventsPage{}, err
	}
	if len(read) > limit {
		for _, e := range page.Entries {
			at.Next[e.Stream] = e.Revision + 1
		}
		raw, _ := json.Marshal(at) // an id and a map of strings to numbers always encode
		page.Next = base64.RawURLEncoding.EncodeToString(raw)
	}
	return page, nil
}

// readForwards reads up to limit events of stream from revision from on. A revision past the stream's end is
// ErrBadCursor: no page ever said to read there.
func (o *Operator) readForwards(ctx context.Context, stream string, from uint64, limit int) ([]eventstore.RecordedEvent, error) {
	events, err := o.Store.ReadStream(ctx, stream, eventstore.Forwards, eventstore.StreamRevision(from), limit)
	if err != nil && !errors.Is(err, eventstore.ErrStreamNotFound) {
		return nil, fmt.Errorf("operator: read %s: %w", stream, err)
	}
	if len(events) > 0 || from == 0 {
		return events, nil
	}
	last, err := o.Store.ReadStream(ctx, stream, eventstore.Backwards, eventstore.StreamEnd(), 1)
	if err != nil && !errors.Is(err, eventstore.ErrStreamNotFound) {
		return nil, fmt.Errorf("operator: read %s: %w", stream, err)
	}
	if len(last) == 0 || last[0].Revision+1 < from {
		return nil, fmt.Errorf("%w: %s has no revision %d", ErrBadCursor, stream, from-1)
	}
	return nil, nil
}

// parseEventsCursor reads a CustomerEvents cursor of the customer whose streams are heads ("": the first
// page).
func parseEventsCursor(cursor string, customerID int64, heads []streamHead) (eventsCursor, error) {
	at := eventsCursor{Customer: customerID, Next: map[string]uint64{}}
	if cursor == "" {
		return at, nil
	}
	var c eventsCursor
	if !decodeCursor(cursor, &c) || c.Customer != customerID || len(c.Next) == 0 {
		return at, ErrBadCursor
	}
	for stream := range c.Next {
		if !holdsStream(heads, stream) {
			return at, fmt.Errorf("%w: %s is not a stream of customer %d", ErrBadCursor, stream, customerID)
		}
	}
	return c, nil
}
