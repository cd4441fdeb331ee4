package commands_test

import (
	"context"
	"encoding/json"
	"errors"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

func TestHandleAppendsTheDecisionWithDerivedIDsAndMetadata(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := newStore(t)
	// Given an open counter
	id := openedCounter(ctx, t, store, 10)

	// When a command increments it
	env := commands.Envelope{CommandID: "cmd-1", CorrelationID: "conv-1", CausationID: "request-9",
		SiteID: "site-3", Actor: "customer:42"}
	res, err := commands.Handle(ctx, store, counterAggregate, id, env, increment(3))
	if err != nil {
		t.Fatalf("Handle: %v", err)
	}

	// Then the stream holds the event with an id derived from the command and the envelope as metadata
	events := readStream(ctx, t, store, id)
	if len(events) != 2 {
		t.Fatalf("stream holds %d events, want 2", len(events))
	}
	got := events[1]
	stream := counterAggregate.StreamPrefix + id
	if got.ID != commands.EventID(stream, "cmd-1", 0) || got.Type != "counter.incremented" || string(got.Data) != `{"by":3}` {
		t.Fatalf("stored event = %s %s %s, want derived id, counter.incremented {\"by\":3}", got.ID, got.Type, got.Data)
	}
	md, err := aggregates.ParseMetadata(got.Metadata)
	want := aggregates.Metadata{SchemaVersion: 2, CommandID: "cmd-1", CorrelationID: "conv-1",
		CausationID: "request-9", SiteID: "site-3", Actor: "customer:42"}
	if err != nil || md != want {
		t.Fatalf("metadata = %+v, %v; want %+v", md, err, want)
	}
	// And the result points at that event, in the stream and in the global order
	inAll := awaitInAll(ctx, t, store, got.ID)
	if res.Revision != 1 || res.Position.Compare(inAll.Position) != 0 || got.Position.Compare(inAll.Position) != 0 {
		t.Fatalf("result = %+v, want revision 1 at position %s", res, inAll.Position)
	}
}

func TestHandleCorrelatesANewConversationWithTheCommandID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := newStore(t)

	id := openedCounter(ctx, t, store, 10)

	md, err := aggregates.ParseMetadata(readStream(ctx, t, store, id)[0].Metadata)
	if err != nil || md.CorrelationID != "open-"+id {
		t.Fatalf("correlation id = %q, %v; want the command id %q", md.CorrelationID, err, "open-"+id)
	}
}

func TestHandleRejectedDecisionAppendsNothing(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		open    bool
		by      int
		wantErr error
	}{
		{"command on a missing aggregate", false, 1, errNotOpened},
		{"command breaking a rule", true, 4, errOverMax},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			ctx := context.Background()
			store := newStore(t)
			// Given a counter with maximum 3, or none
			id := "missing"
			if tt.open {
				id = openedCounter(ctx, t, store, 3)
			}
			before := readStream(ctx, t, store, id)

			// When the decision rejects the command
			_, err := commands.Handle(ctx, store, counterAggregate, id, envelope("cmd"), increment(tt.by))

			// Then the domain error comes back unchanged and the stream is untouched
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
			if after := readStream(ctx, t, store, id); len(after) != len(before) {
				t.Fatalf("stream grew from %d to %d events", len(before), len(after))
			}
		})
	}
}

func TestHandleNoOpDecisionWritesNothingAndReportsTheCurrentRevision(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := newStore(t)
	// Given an open counter incremented once
	id := openedCounter(ctx, t, store, 10)
	incremented, err := commands.Handle(ctx, store, counterAggregate, id, envelope("inc"), increment(1))
	if err != nil {
		t.Fatal(err)
	}

	// When another command (new id) asks to open it again
	res, err := commands.Handle(ctx, store, counterAggregate, id, envelope("open-again"), openCounter(99))

	// Then nothing is written and the result is the stream's last event
	if err != nil || res != incremented {
		t.Fatalf("Handle = %+v, %v; want %+v", res, err, incremented)
	}
	if n := len(readStream(ctx, t, store, id)); n != 2 {
		t.Fatalf("stream holds %d events, want 2", n)
	}
}

func TestHandleNoOpOnAMissingStreamReturnsTheZeroResult(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := newStore(t)

	res, err := commands.Handle(ctx, store, counterAggregate, "never-opened", envelope("look"),
		func(counter) ([]counterEvent, error) { return nil, nil })

	if err != nil || res != (commands.Result{}) {
		t.Fatalf("Handle = %+v, %v; want the zero Result", res, err)
	}
	if events := readStream(ctx, t, store, "never-opened"); events != nil {
		t.Fatalf("stream holds %d events, want none", len(events))
	}
}

func TestHandleRejectsAnIncompleteCommand(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := newStore(t)
	tests := []struct {
		name    string
		id      string
		env     commands.Envelope
		wantErr error
	}{
		{"no command id", "c1", commands.Envelope{}, commands.ErrMissingCommandID},
		{"no aggregate id", "", envelope("cmd"), commands.ErrMissingAggregateID},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := commands.Handle(ctx, store, counterAggregate, tt.id, tt.env, openCounter(1))
			if !errors.Is(err, tt.wantErr) {
				t.Fatalf("err = %v, want %v", err, tt.wantErr)
			}
		})
	}
}

func TestHandleFoldsLongStreamsAndOlderSchemaVersions(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := newStore(t)
	// Given a counter whose stream spans several read pages and starts with a version 1 increment
	id := openedCounter(ctx, t, store, 1_000_000)
	v1, err := json.Marshal(map[string]int{"amount": 5})
	if err != nil {
		t.Fatal(err)
	}
	old := incrementedData(t, 0)
	old.Data, old.Metadata = v1, []byte(`{"schema_version":1}`)
	batch := []eventstore.EventData{old}
	for range 1200 {
		batch = append(batch, incrementedData(t, 1))
	}
	if _, err := store.Append(ctx, counterAggregate.StreamPrefix+id, eventstore.Exact(0), batch...); err != nil {
		t.Fatal(err)
	}

	// When a command increments it
	res, err := commands.Handle(ctx, store, counterAggregate, id, envelope("inc"), increment(1))

	// Then the decision saw every event, the old one upcast, and appended after the last
	if err != nil || res.Revision != 1202 {
		t.Fatalf("Handle = %+v, %v; want revision 1202", res, err)
	}
	if got := currentCounter(ctx, t, store, id).value; got != 5+1200+1 {
		t.Fatalf("counter = %d, want %d", got, 5+1200+1)
	}
}

func TestHandleFailsOnAStreamItCannotFold(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	store := newStore(t)
	// Given a counter stream holding an event nobody registered
	id := openedCounter(ctx, t, store, 10)
	alien := incrementedData(t, 1)
	alien.Type = "counter.teleported"
	if _, err := store.Append(ctx, counterAggregate.StreamPrefix+id, eventstore.Exact(0), alien); err != nil {
		t.Fatal(err)
	}

	// When a command runs, then it fails instead of deciding on a partial state
	_, err := commands.Handle(ctx, store, counterAggregate, id, envelope("inc"), increment(1))
	if !errors.Is(err, aggregates.ErrUnknownEvent) {
		t.Fatalf("err = %v, want ErrUnknownEvent", err)
	}
}
