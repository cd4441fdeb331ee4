package storetest

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// caseTimeout bounds every case: a broken adapter fails the case instead of hanging the test binary.
const caseTimeout = 60 * time.Second

// fixture is what one parallel case works with: a store, a context with a deadline and a stream-name prefix
// no other case or process uses, so cases stay independent on a shared store.
type fixture struct {
	t      *testing.T
	ctx    context.Context
	store  eventstore.Store
	prefix string
}

// newFixture marks the case parallel and prepares its store, deadline and unique prefix.
func newFixture(t *testing.T, b Backend) *fixture {
	t.Helper()
	t.Parallel()
	ctx, cancel := context.WithTimeout(t.Context(), caseTimeout)
	t.Cleanup(cancel)
	return &fixture{t: t, ctx: ctx, store: b.New(t), prefix: uniquePrefix()}
}

// uniquePrefix returns a random stream-name prefix such as "st3f9a0c1b2d4e-".
func uniquePrefix() string {
	return "st" + strings.ReplaceAll(uuid.NewString(), "-", "")[:12] + "-"
}

// stream names a stream inside the case's prefix.
func (f *fixture) stream(name string) string { return f.prefix + name }

// filter selects exactly the case's streams.
func (f *fixture) filter() eventstore.Filter {
	return eventstore.Filter{StreamPrefixes: []string{f.prefix}}
}

// eventPayload is the JSON document every generated event carries, unique per event.
type eventPayload struct {
	Nonce string `json:"nonce"`
	Index int    `json:"index"`
}

// newEvents returns n events with fresh ids, a JSON payload and JSON metadata.
func newEvents(n int) []eventstore.EventData {
	events := make([]eventstore.EventData, n)
	for i := range events {
		id := uuid.New()
		data, _ := json.Marshal(eventPayload{Nonce: id.String(), Index: i})
		events[i] = eventstore.EventData{
			ID:       id,
			Type:     fmt.Sprintf("storetest.happened-%d", i),
			Data:     data,
			Metadata: []byte(`{"source": "storetest", "index": ` + fmt.Sprint(i) + `}`),
		}
	}
	return events
}

// append appends and fails the case on any error.
func (f *fixture) append(stream string, expected eventstore.ExpectedRevision, events ...eventstore.EventData) eventstore.AppendResult {
	f.t.Helper()
	res, err := f.store.Append(f.ctx, stream, expected, events...)
	if err != nil {
		f.t.Fatalf("append %d events to %s expecting %s: %v", len(events), stream, expected, err)
	}
	return res
}

// readStream reads a stream and fails the case on any error.
func (f *fixture) readStream(stream string, dir eventstore.Direction, from eventstore.StreamFrom, limit int) []eventstore.RecordedEvent {
	f.t.Helper()
	events, err := f.store.ReadStream(f.ctx, stream, dir, from, limit)
	if err != nil {
		f.t.Fatalf("read stream %s: %v", stream, err)
	}
	return events
}

// mark appends one event to the case's marker stream and returns its position: the place after which the
// case's own events start in $all, whatever the store held before.
func (f *fixture) mark() eventstore.Position {
	f.t.Helper()
	return f.append(f.stream("marker"), eventstore.Any(), newEvents(1)...).Position
}

// IDs lists the ids of events to append, to compare what was written with what came back.
func IDs(events []eventstore.EventData) []uuid.UUID {
	ids := make([]uuid.UUID, len(events))
	for i, e := range events {
		ids[i] = e.ID
	}
	return ids
}

// RecordedIDs lists the ids of recorded events.
func RecordedIDs(events []eventstore.RecordedEvent) []uuid.UUID {
	ids := make([]uuid.UUID, len(events))
	for i, e := range events {
		ids[i] = e.ID
	}
	return ids
}

// RequireNoEventWithin fails the test if sub delivers an event within d. Adapter tests use it to show that
// something is not delivered (yet); a CaughtUp message is allowed.
func RequireNoEventWithin(t *testing.T, ctx context.Context, sub eventstore.Subscription, d time.Duration) {
	t.Helper()
	ctx, cancel := context.WithTimeout(ctx, d)
	defer cancel()
	for {
		msg, err := sub.Recv(ctx)
		if errors.Is(err, context.DeadlineExceeded) {
			return
		}
		if err != nil {
			t.Fatalf("recv: %v", err)
		}
		if msg.Event != nil {
			t.Fatalf("got event %s of %s at %s, want none yet", msg.Event.ID, msg.Event.StreamID, msg.Event.Position)
		}
	}
}

// requireIDs fails unless got holds exactly the want ids, in order.
func requireIDs(t *testing.T, what string, got []eventstore.RecordedEvent, want []uuid.UUID) {
	t.Helper()
	gotIDs := RecordedIDs(got)
	if fmt.Sprint(gotIDs) != fmt.Sprint(want) {
		t.Fatalf("%s: got %d events %v, want %d events %v", what, len(gotIDs), gotIDs, len(want), want)
	}
}

// requireRevisions fails unless got holds events with exactly these stream revisions, in order.
func requireRevisions(t *testing.T, what string, got []eventstore.RecordedEvent, want ...uint64) {
	t.Helper()
	revisions := make([]uint64, len(got))
	for i, e := range got {
		revisions[i] = e.Revision
	}
	if fmt.Sprint(revisions) != fmt.Sprint(want) {
		t.Fatalf("%s: got revisions %v, want %v", what, revisions, want)
	}
}

// concat joins batches of proposed events into one list.
func concat(batches ...[]eventstore.EventData) []eventstore.EventData {
	var all []eventstore.EventData
	for _, b := range batches {
		all = append(all, b...)
	}
	return all
}
