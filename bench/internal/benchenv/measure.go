package benchenv

import (
	"cmp"
	"context"
	"slices"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// Measurement is one timed pass: what made it, how many events it read from the log, how many rows the
// tables it produced hold at the end, and how long it took.
type Measurement struct {
	Name    string
	Events  int
	Rows    int
	Elapsed time.Duration
	// GoCPU and DatabaseCPU are the CPU time the benchmark process and the database's backends spent on
	// the pass, when it was sampled (see SampleCPU).
	GoCPU, DatabaseCPU time.Duration
}

// PerSecond is the pass's speed in events read per second.
func (m Measurement) PerSecond() float64 { return float64(m.Events) / m.Elapsed.Seconds() }

// RowsPerSecond is the pass's speed in rows of its final tables per second: the rate at which it produces
// them, whatever it read to get there.
func (m Measurement) RowsPerSecond() float64 { return float64(m.Rows) / m.Elapsed.Seconds() }

// Median is the pass of median duration among runs (the upper middle of an even count).
func Median(runs []Measurement) Measurement {
	sorted := slices.Clone(runs)
	slices.SortFunc(sorted, func(a, b Measurement) int { return cmp.Compare(a.Elapsed, b.Elapsed) })
	return sorted[len(sorted)/2]
}

// ReadLog times reading the whole log of store in pages of pageSize, doing nothing with it: the ceiling any
// pass over the log through that store can reach.
func ReadLog(ctx context.Context, store eventstore.Store, name string, pageSize int) (Measurement, error) {
	m := Measurement{Name: name}
	start, from := time.Now(), eventstore.AllStart()
	for {
		events, err := store.ReadAll(ctx, from, pageSize)
		if err != nil {
			return m, err
		}
		m.Events += len(events)
		if len(events) < pageSize {
			m.Elapsed = time.Since(start)
			return m, nil
		}
		from = eventstore.AllAfter(events[len(events)-1].Position)
	}
}
