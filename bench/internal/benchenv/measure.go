package benchenv

import (
	"context"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// Measurement is one timed pass over a log: what made it, how many events it read and how long it took.
type Measurement struct {
	Name    string
	Events  int
	Elapsed time.Duration
}

// PerSecond is the pass's speed in events read per second.
func (m Measurement) PerSecond() float64 { return float64(m.Events) / m.Elapsed.Seconds() }

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
