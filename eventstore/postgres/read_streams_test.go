package postgres

import (
	"errors"
	"reflect"
	"testing"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

func TestReadStreamsReadsEachTailAsReadStreamDoes(t *testing.T) {
	t.Parallel()
	// given a stream of five events, one of one, and a stream never written
	s, ctx := newTestStore(t)
	mustAppend(t, ctx, s, "order-1", eventstore.NoStream(), newEvents(5)...)
	mustAppend(t, ctx, s, "invoice-2", eventstore.NoStream(), newEvents(1)...)
	reads := []eventstore.StreamRead{
		{Stream: "invoice-2", From: 0, Limit: 512},
		{Stream: "order-1", From: 2, Limit: 512},
		{Stream: "never-written", From: 0, Limit: 512},
		{Stream: "order-1", From: 1, Limit: 2},
		{Stream: "order-1", From: 9, Limit: 512},
	}

	// when their tails are read in one call
	got, err := s.ReadStreams(ctx, reads)
	if err != nil || len(got) != len(reads) {
		t.Fatalf("ReadStreams: %d results, %v; want %d", len(got), err, len(reads))
	}

	// then each read holds what ReadStream reads, and an empty slice where ReadStream finds nothing
	for i, r := range reads {
		want, err := s.ReadStream(ctx, r.Stream, eventstore.Forwards, eventstore.StreamRevision(r.From), r.Limit)
		if errors.Is(err, eventstore.ErrStreamNotFound) {
			want, err = []eventstore.RecordedEvent{}, nil
		}
		if err != nil {
			t.Fatalf("ReadStream %+v: %v", r, err)
		}
		if !reflect.DeepEqual(got[i], want) {
			t.Errorf("read %+v: got %d events %+v, want %d %+v", r, len(got[i]), got[i], len(want), want)
		}
	}
}

func TestReadStreamsRefusesANonPositiveLimit(t *testing.T) {
	t.Parallel()
	// given a store, when a read asks for no events, then the call is refused as ReadStream refuses it
	s, ctx := newTestStore(t)
	if _, err := s.ReadStreams(ctx, []eventstore.StreamRead{{Stream: "order-1", Limit: 0}}); err == nil {
		t.Fatal("ReadStreams with limit 0: no error")
	}
}
