package main

import (
	"strings"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

func TestPlainProgressShowsARateOnlyOnceItCanBeMeasured(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name    string
		total   eventCount
		applied int
		elapsed time.Duration
		done    bool
		want    string
	}{
		{"a short rebuild has no rate", eventCount{n: 37}, 37, 10 * time.Microsecond, true,
			"customers.v1: rebuilt 37/37 events, done in 0s"},
		{"a long rebuild has its rate", eventCount{n: 450_000}, 450_000, 9 * time.Second, true,
			"customers.v1: rebuilt 450000/450000 events, 50000 events/s, done in 9s"},
		{"a rebuild under way has its rate and an ETA", eventCount{n: 450_000}, 120_000, 2 * time.Second, false,
			"customers.v1: rebuilt 120000/450000 events, 60000 events/s, ETA 6s"},
		{"a rebuild of an uncounted log has no ETA", eventCount{n: 1_000_000, capped: true}, 120_000, 2 * time.Second, false,
			"customers.v1: rebuilt 120000/>1000000 events, 60000 events/s"},
		{"events appended meanwhile stretch the total", eventCount{n: 30}, 37, 10 * time.Millisecond, true,
			"customers.v1: rebuilt 37/37 events, done in 10ms"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a rebuild that applied some events in some time
			var out strings.Builder
			started := time.Date(2026, 12, 4, 0, 0, 0, 0, time.UTC)
			now := started
			p := &plainProgress{out: &out, name: "customers.v1", total: tc.total, now: func() time.Time { return now },
				started: started, printed: started}

			// when its progress is reported
			now = started.Add(tc.elapsed)
			if tc.done {
				p.update(tc.applied, eventstore.Position{})
				out.Reset()
				p.finish()
			} else {
				p.update(tc.applied, eventstore.Position{})
			}

			// then the line says what can be measured, no more
			if got := strings.TrimSpace(out.String()); got != tc.want {
				t.Errorf("line = %q\nwant   %q", got, tc.want)
			}
		})
	}
}
