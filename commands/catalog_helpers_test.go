package commands_test

import (
	"context"
	"errors"
	"strconv"
	"sync/atomic"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// catalogStreams names the stream of every entity of c, in import order.
func catalogStreams(c catalog.Catalog) []string {
	var streams []string
	add := func(prefix string, id int64) { streams = append(streams, prefix+strconv.FormatInt(id, 10)) }
	for _, a := range c.Accounts {
		add(commands.AccountAggregate.StreamPrefix, a.ID)
	}
	for _, s := range c.Sites {
		add(commands.SiteAggregate.StreamPrefix, s.ID)
	}
	for _, p := range c.Products {
		add(commands.ProductAggregate.StreamPrefix, p.ID)
	}
	for _, cp := range c.Coupons {
		add(commands.CouponAggregate.StreamPrefix, cp.ID)
	}
	for _, p := range c.EcommerceProducts {
		add(commands.EcommerceProductAggregate.StreamPrefix, p.ID)
	}
	for _, tr := range c.TaxRates {
		streams = append(streams, commands.TaxRateAggregate.StreamPrefix+tr.Key())
	}
	for _, s := range c.Segments {
		add(commands.SegmentAggregate.StreamPrefix, s.ID)
	}
	return streams
}

// catalogEvents reads every event of c's entity streams, in stream order, and fails the test on an
// event id seen twice. It reads streams, not $all, whose visibility fence other tests' open transactions
// on the same server could hold back.
func catalogEvents(ctx context.Context, t *testing.T, store eventstore.Store, c catalog.Catalog) []eventstore.RecordedEvent {
	t.Helper()
	var all []eventstore.RecordedEvent
	seen := map[string]bool{}
	for _, stream := range catalogStreams(c) {
		events, err := store.ReadStream(ctx, stream, eventstore.Forwards, eventstore.StreamStart(), 10_000)
		if errors.Is(err, eventstore.ErrStreamNotFound) {
			continue
		}
		if err != nil {
			t.Fatalf("read %s: %v", stream, err)
		}
		for _, e := range events {
			if seen[e.ID.String()] {
				t.Fatalf("event %s appears twice", e.ID)
			}
			seen[e.ID.String()] = true
		}
		all = append(all, events...)
	}
	return all
}

// crashingStore fails every append after the first `allowed` ones, as a process killed half-way through
// an import would stop writing.
type crashingStore struct {
	eventstore.Store
	allowed atomic.Int32
}

var errCrashed = errors.New("simulated crash")

func (s *crashingStore) Append(ctx context.Context, stream string, expected eventstore.ExpectedRevision, events ...eventstore.EventData) (eventstore.AppendResult, error) {
	if s.allowed.Add(-1) < 0 {
		return eventstore.AppendResult{}, errCrashed
	}
	return s.Store.Append(ctx, stream, expected, events...)
}

// lastEvent reads the newest event of a stream.
func lastEvent(ctx context.Context, t *testing.T, store eventstore.Store, stream string) eventstore.RecordedEvent {
	t.Helper()
	events, err := store.ReadStream(ctx, stream, eventstore.Backwards, eventstore.StreamEnd(), 1)
	if err != nil || len(events) != 1 {
		t.Fatalf("read the last event of %s: %d events, %v", stream, len(events), err)
	}
	return events[0]
}
