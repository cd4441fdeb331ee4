package projections

import (
	"errors"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// A rebuild decodes each page ahead of applying the one before (prefetch). An event that cannot be decoded
// must stop the rebuild at its page, named, with the pages before it applied and none after, and the reading
// side must not be left waiting to hand over pages nobody takes any more.
//
// Not parallel: it counts this package's goroutines, and a parallel test's rebuild would be counted too.
func TestARebuildStopsAtAnEventItCannotDecodeAndLeavesNoReaderBehind(t *testing.T) {
	// given six pages of three events, the third holding an event whose payload is not a test.ticked, and a
	// projection slow on the second page so the reading side runs as far ahead as it can
	env := newEnv(t, postgresBackend)
	counts := &counting{name: "undecodable.v1", table: "undecodable_counts", fail: func(ev Event[ticked]) error {
		if ev.Stream == "a-1" && ev.Revision == 3 {
			time.Sleep(300 * time.Millisecond)
		}
		return nil
	}}
	counts.create(env)
	projection := counts.projection()
	projection.Tables = []string{counts.table}
	env.ticks("a-1", 7)
	broken := env.appendUndecodable("broken-1")
	env.ticks("a-1", 10)
	cfg := Config{Store: env.store, DB: env.db, Registry: env.registry, RebuildBatchSize: 3}

	// when the projection is rebuilt
	var applied []int
	_, err := Rebuild(testContext(t), cfg, projection, WithRebuildProgress(func(total int, _ eventstore.Position) {
		applied = append(applied, total)
	}))

	// then it fails on that event for a decoding reason, after exactly the first two pages, and no goroutine
	// of the rebuild is left
	var eventErr *EventError
	if !errors.As(err, &eventErr) || eventErr.Event != broken || eventErr.Projection != counts.name {
		t.Fatalf("Rebuild = %v, want an EventError on %+v", err, broken)
	}
	if !strings.Contains(err.Error(), "unmarshal") {
		t.Errorf("error %q does not say the payload could not be decoded", err)
	}
	if !slices.Equal(applied, []int{3, 6}) {
		t.Errorf("events applied after each page = %v, want [3 6]", applied)
	}
	if left := goroutinesOfThisPackage(5 * time.Second); len(left) > 0 {
		t.Errorf("%d goroutines of the rebuild left behind:\n%s", len(left), strings.Join(left, "\n\n"))
	}
}

// appendUndecodable appends to stream a test.ticked event whose payload is valid JSON but not a ticked (N
// is a string), and returns it.
func (e *testEnv) appendUndecodable(stream string) EventRef {
	e.t.Helper()
	ev := eventstore.EventData{ID: uuid.New(), Type: "test.ticked", Data: []byte(`{"N":"three"}`),
		Metadata: []byte(`{"schema_version":1}`)}
	if _, err := e.store.Append(testContext(e.t), stream, eventstore.Any(), ev); err != nil {
		e.t.Fatalf("append to %s: %v", stream, err)
	}
	events, err := e.store.ReadStream(testContext(e.t), stream, eventstore.Forwards, eventstore.StreamStart(), 1)
	if err != nil || len(events) != 1 {
		e.t.Fatalf("read %s: %d events, %v", stream, len(events), err)
	}
	return refOf(events[0])
}

// goroutinesOfThisPackage waits up to patience for every goroutine this package's code started to end, and
// returns the stacks of those still there. Tests waiting in t.Parallel were started by package testing.
func goroutinesOfThisPackage(patience time.Duration) []string {
	deadline := time.Now().Add(patience)
	for {
		var left []string
		buf := make([]byte, 1<<20)
		stacks := strings.Split(string(buf[:runtime.Stack(buf, true)]), "\n\n")
		for _, stack := range stacks {
			if strings.Contains(stack, "created by github.com/pelcro-oss/pelcro-api/projections.") {
				left = append(left, stack)
			}
		}
		if len(left) == 0 || time.Now().After(deadline) {
			return left
		}
		time.Sleep(10 * time.Millisecond)
	}
}
