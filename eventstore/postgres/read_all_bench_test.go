package postgres

import (
	"fmt"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// BenchmarkReadAllBinary reads a log of 100,000 events of a newsletter event's size (~800 bytes of payload
// and metadata) in rebuild-sized pages through the binary read, and reports the process's CPU per event
// (the Go side of a rebuild's read; PostgreSQL's is not counted).
func BenchmarkReadAllBinary(b *testing.B) {
	const streams, perStream, page = 100, 1000, 10_000
	store, ctx := newTestStore(b)
	payload := `{"site_id":1042,"email":"reader42@news42.example.org","details":{"first_name":"Ada","last_name":"Reader 42",` +
		`"consent_text":"` + strings.Repeat("I agree to receive the newsletter ", 8) + `"},"subscribed_at":"2026-01-01T00:00:00Z"}`
	metadata := `{"schema_version":1,"command_id":"bench-42-0","correlation_id":"bench-42-0","site_id":"1042","actor":"customer:reader42@news42.example.org"}`
	for s := range streams {
		events := make([]eventstore.EventData, perStream)
		for i := range events {
			events[i] = eventstore.EventData{ID: uuid.New(), Type: "newsletter.subscribed", Data: []byte(payload), Metadata: []byte(metadata)}
		}
		if _, err := store.Append(ctx, fmt.Sprintf("newsletter-%d", s), eventstore.NoStream(), events...); err != nil {
			b.Fatal(err)
		}
	}
	cpu := func() time.Duration {
		var ru syscall.Rusage
		_ = syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
		return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
	}
	start := cpu()
	for b.Loop() {
		from, n := eventstore.AllStart(), 0
		for {
			events, err := store.ReadAll(ctx, from, page)
			if err != nil {
				b.Fatal(err)
			}
			n += len(events)
			if len(events) < page {
				break
			}
			from = eventstore.AllAfter(events[len(events)-1].Position)
		}
		if n != streams*perStream {
			b.Fatalf("read %d events, want %d", n, streams*perStream)
		}
	}
	b.ReportMetric(float64(cpu()-start)/float64(b.N*streams*perStream), "cpu-ns/event")
}
