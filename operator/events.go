package operator

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// ErrNoStream is Events' answer for a stream without events.
var ErrNoStream = errors.New("operator: no such stream")

// Events returns up to limit events of one stream from revision from on, oldest first.
func (o *Operator) Events(ctx context.Context, stream string, from uint64, limit int, reveal bool) ([]Entry, error) {
	events, err := o.Store.ReadStream(ctx, stream, eventstore.Forwards, eventstore.StreamRevision(from), limit)
	if errors.Is(err, eventstore.ErrStreamNotFound) {
		return nil, fmt.Errorf("%w: %s", ErrNoStream, stream)
	}
	if err != nil {
		return nil, fmt.Errorf("operator: read %s: %w", stream, err)
	}
	return o.entries(events, reveal)
}

// Tail returns up to limit events of the whole log after from, oldest first, keeping those whose type starts
// with typePrefix ("" keeps all). It reads the log page by page until it has limit events or reaches the end.
func (o *Operator) Tail(ctx context.Context, from eventstore.AllFrom, typePrefix string, limit int, reveal bool) ([]Entry, error) {
	var out []Entry
	for len(out) < limit {
		events, err := o.Store.ReadAll(ctx, from, max(limit, tailPage))
		if err != nil {
			return nil, fmt.Errorf("operator: read the log: %w", err)
		}
		for _, ev := range events {
			if len(out) < limit && strings.HasPrefix(ev.Type, typePrefix) {
				e, err := o.entryOf(ev, reveal)
				if err != nil {
					return nil, err
				}
				out = append(out, e)
			}
		}
		if len(events) < max(limit, tailPage) {
			break
		}
		from = eventstore.AllAfter(events[len(events)-1].Position)
	}
	return out, nil
}

// Last returns the last limit events of the whole log whose type starts with typePrefix, oldest first, and
// where the log ended when it looked. The store port only reads the log forwards, so it reads it whole (page
// by page, keeping limit events in memory): seconds on millions of events.
func (o *Operator) Last(ctx context.Context, typePrefix string, limit int, reveal bool) ([]Entry, eventstore.AllFrom, error) {
	from, kept := eventstore.AllStart(), make([]eventstore.RecordedEvent, 0, limit)
	for {
		events, err := o.Store.ReadAll(ctx, from, tailPage)
		if err != nil {
			return nil, from, fmt.Errorf("operator: read the log: %w", err)
		}
		for _, ev := range events {
			if strings.HasPrefix(ev.Type, typePrefix) && limit > 0 {
				if len(kept) == limit {
					kept = append(kept[:0], kept[1:]...)
				}
				// A read's events share their payloads' blocks (see the PostgreSQL store): a kept event owns a
				// copy, or each sparse match would hold a whole block of its page in memory.
				ev.Data, ev.Metadata = bytes.Clone(ev.Data), bytes.Clone(ev.Metadata)
				kept = append(kept, ev)
			}
		}
		if len(events) > 0 {
			from = eventstore.AllAfter(events[len(events)-1].Position)
		}
		if len(events) < tailPage {
			entries, err := o.entries(kept, reveal)
			return entries, from, err
		}
	}
}

// tailPage is how many events one read of the whole log returns.
const tailPage = 1000

// Follow calls each for every event after from whose type starts with typePrefix, first those already
// written and then new ones as they are committed, until ctx ends or each fails.
func (o *Operator) Follow(ctx context.Context, from eventstore.AllFrom, typePrefix string, reveal bool, each func(Entry) error) error {
	sub, err := o.Store.SubscribeAll(ctx, from, eventstore.Filter{})
	if err != nil {
		return fmt.Errorf("operator: follow the log: %w", err)
	}
	defer func() { _ = sub.Close() }()
	for {
		msg, err := sub.Recv(ctx)
		if err != nil {
			if ctx.Err() != nil {
				return nil
			}
			return fmt.Errorf("operator: follow the log: %w", err)
		}
		if msg.Event == nil || !strings.HasPrefix(msg.Event.Type, typePrefix) {
			continue
		}
		e, err := o.entryOf(*msg.Event, reveal)
		if err != nil {
			return err
		}
		if err := each(e); err != nil {
			return err
		}
	}
}

func (o *Operator) entries(events []eventstore.RecordedEvent, reveal bool) ([]Entry, error) {
	out := make([]Entry, len(events))
	for i, ev := range events {
		e, err := o.entryOf(ev, reveal)
		if err != nil {
			return nil, err
		}
		out[i] = e
	}
	return out, nil
}
