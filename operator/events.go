package operator

import (
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
		events, err := o.Store.ReadAll(ctx, from, max(limit, 500))
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
		if len(events) < max(limit, 500) {
			break
		}
		from = eventstore.AllAfter(events[len(events)-1].Position)
	}
	return out, nil
}

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
