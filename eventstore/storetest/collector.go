package storetest

import (
	"context"
	"sync"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// settlePeriod is how long a collector keeps listening after the expected count arrived, so that an extra
// (duplicate or foreign) delivery shows up in the check instead of going unnoticed.
const settlePeriod = 300 * time.Millisecond

// collector drains a subscription in the background while writers run.
type collector struct {
	mu     sync.Mutex
	events []eventstore.RecordedEvent
	// caughtUpAt is the number of events delivered before the first CaughtUp message, -1 before it.
	caughtUpAt int
	err        error
	stop       context.CancelFunc
	done       chan struct{}
}

// startCollector starts draining sub until stopped.
func (f *fixture) startCollector(sub eventstore.Subscription) *collector {
	ctx, cancel := context.WithCancel(f.ctx)
	c := &collector{caughtUpAt: -1, stop: cancel, done: make(chan struct{})}
	f.t.Cleanup(func() { cancel(); <-c.done })
	go func() {
		defer close(c.done)
		for {
			msg, err := recvBounded(ctx, sub, caseTimeout)
			c.mu.Lock()
			switch {
			case err != nil && ctx.Err() == nil:
				c.err = err
			case msg.CaughtUp && c.caughtUpAt < 0:
				c.caughtUpAt = len(c.events)
			case msg.Event != nil:
				c.events = append(c.events, *msg.Event)
			}
			c.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return c
}

// count returns how many events arrived so far and the error that ended the subscription, if any.
func (c *collector) count() (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return len(c.events), c.err
}

// awaitAndStop waits until want events arrived (at most recvTimeout: call it once the writers are done),
// keeps listening for settlePeriod, then stops and returns everything delivered and how many events came
// before the first CaughtUp (-1: none did).
func (c *collector) awaitAndStop(f *fixture, want int) ([]eventstore.RecordedEvent, int) {
	f.t.Helper()
	deadline := time.After(recvTimeout)
	for {
		n, err := c.count()
		if err != nil {
			f.t.Fatalf("subscription failed after %d of %d events: %v", n, want, err)
		}
		if n >= want {
			break
		}
		select {
		case <-deadline:
			f.t.Fatalf("subscription delivered %d of %d committed events within %s of the last commit", n, want, recvTimeout)
		case <-time.After(pollInterval):
		}
	}
	time.Sleep(settlePeriod)
	c.stop()
	<-c.done
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.events, c.caughtUpAt
}
