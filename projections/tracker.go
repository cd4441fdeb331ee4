package projections

import (
	"sync"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// State is where a projection's runner is.
type State string

// The states of a projection. Readiness fails on StateStopped and StateNotRunning.
const (
	// StateNotRunning: no runner in this process runs the projection (yet, or any more).
	StateNotRunning State = "not-running"
	// StateRunning: applying events, not yet at the head of the log (or resubscribing after an error).
	StateRunning State = "running"
	// StateCaughtUp: every event written before the subscription started has been applied; live now.
	StateCaughtUp State = "caught-up"
	// StateStopped: an event kept failing after every retry. The projection applies nothing more until the
	// process restarts (after a fix); Status carries the error.
	StateStopped State = "stopped"
)

// tracker is the in-memory view of one running projection, shared by its handler, the subscriber's
// callbacks, WaitFor, Status and the metrics. It is safe for concurrent use.
type tracker struct {
	name string

	mu         sync.Mutex
	state      State
	checkpoint *eventstore.Position
	lastError  error
	// stop names the event the projection gave up on, while StateStopped.
	stop *Stop
	// lastApplied is when the checkpoint last advanced; lastCreated and pendingCreated are the store times
	// of the last applied event and of the event being handled (zero when none), for the lag estimate.
	lastApplied    time.Time
	lastCreated    time.Time
	pendingCreated time.Time
	// changed is closed and replaced on every change of state (not of the checkpoint alone), so waiters
	// block on it instead of polling.
	changed chan struct{}
	// arrivals are the waiters for a position the checkpoint has not reached, each woken alone when it does
	// (see await).
	arrivals map[chan struct{}]eventstore.Position
	// hurry is signalled (a buffer of one) each time a waiter joins arrivals: the feed's Urgency.
	hurry chan struct{}
	// changes counts events of a type the projection handles that reached its checkpoint (applied here or
	// by another process), all and by the key the projection's ChangeKey gives them: the read model may
	// differ after each, so caches of it compare these counts.
	changes changeCounts
}

func newTracker(name string) *tracker {
	return &tracker{name: name, state: StateNotRunning, changed: make(chan struct{}),
		arrivals: map[chan struct{}]eventstore.Position{}, hurry: make(chan struct{}, 1)}
}

// trackerView is a consistent copy of a tracker's fields.
type trackerView struct {
	state          State
	checkpoint     *eventstore.Position
	lastError      error
	stop           *Stop
	lastApplied    time.Time
	lastCreated    time.Time
	pendingCreated time.Time
	changed        <-chan struct{}
}

func (t *tracker) view() trackerView {
	t.mu.Lock()
	defer t.mu.Unlock()
	return t.viewLocked()
}

func (t *tracker) viewLocked() trackerView {
	return trackerView{t.state, t.checkpoint, t.lastError, t.stop, t.lastApplied, t.lastCreated, t.pendingCreated, t.changed}
}

// update changes the tracker's state under its lock and wakes every waiter.
func (t *tracker) update(change func()) {
	t.mu.Lock()
	defer t.mu.Unlock()
	change()
	close(t.changed)
	t.changed = make(chan struct{})
	t.wakeArrived()
}

// started records the checkpoint a (re)started subscription begins after, nil for the start of the log.
func (t *tracker) started(checkpoint *eventstore.Position) {
	t.update(func() {
		t.state, t.checkpoint, t.lastError = StateRunning, checkpoint, nil
	})
}

// handling records that the event created at the given store time is being applied. It wakes nobody: only
// the lag estimate reads it.
func (t *tracker) handling(created time.Time) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.pendingCreated = created
}

// advanced records that the checkpoint reached pos, the event created at the given store time; handled is
// how many of the events up to it the projection has a handler for (so its read model may have changed).
// keys are the ChangeKey of each of them, when the projection has one.
// It wakes only the waiters whose position it reached: under load hundreds wait at once, and waking all of
// them at every commit to find most still behind cost more CPU than the commits.
func (t *tracker) advanced(pos eventstore.Position, created time.Time, handled int, keys []int64) {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.checkpoint, t.lastApplied, t.lastCreated, t.pendingCreated = &pos, time.Now(), created, time.Time{}
	t.changes.add(handled, keys)
	t.wakeArrived()
}

// caughtUp records the subscription's catch-up signal; it never revives a stopped projection.
func (t *tracker) caughtUp() {
	t.update(func() {
		if t.state == StateRunning {
			t.state = StateCaughtUp
		}
	})
}

// subscriptionFailed records a subscription error: the feed resubscribes, so the projection is behind again.
func (t *tracker) subscriptionFailed(err error) {
	t.update(func() {
		if t.state != StateStopped {
			t.state, t.lastError = StateRunning, err
		}
	})
}

// stopped records that the projection gave up on the event s names, with the full error.
func (t *tracker) stopped(err error, s Stop) {
	t.update(func() { t.state, t.lastError, t.stop = StateStopped, err, &s })
}

// ended records that the runner returned; a stopped projection keeps its state and error.
func (t *tracker) ended() {
	t.update(func() {
		if t.state != StateStopped {
			t.state = StateNotRunning
		}
	})
}

// lag estimates how far behind the log the projection is: the age of the oldest event not yet applied (the
// one being handled, or after the last applied one while catching up), zero once caught up and idle. Store
// times come from the store's clock, so clock skew between hosts shifts it.
func (v trackerView) lag(now time.Time) time.Duration {
	switch {
	case !v.pendingCreated.IsZero():
		return max(0, now.Sub(v.pendingCreated))
	case v.state == StateCaughtUp || v.lastCreated.IsZero():
		return 0
	}
	return max(0, now.Sub(v.lastCreated))
}
