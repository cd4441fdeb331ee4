package projections

import "github.com/pelcro-oss/pelcro-api/eventstore"

// await returns the tracker's view and, while its checkpoint is short of pos, a channel closed once the
// checkpoint reaches pos; forget must be called when the caller stops waiting on it. A change of state
// closes view.changed instead, so a waiter watches both.
func (t *tracker) await(pos eventstore.Position) (view trackerView, arrived <-chan struct{}, forget func()) {
	t.mu.Lock()
	defer t.mu.Unlock()
	view = t.viewLocked()
	if reached(t.checkpoint, pos) {
		return view, nil, func() {}
	}
	ch := make(chan struct{})
	t.arrivals[ch] = pos
	signal(t.hurry)
	return view, ch, func() {
		t.mu.Lock()
		defer t.mu.Unlock()
		delete(t.arrivals, ch)
	}
}

// wakeArrived closes the channel of every waiter whose position the checkpoint has reached. Call it with
// t.mu held, after every move of the checkpoint.
func (t *tracker) wakeArrived() {
	for ch, pos := range t.arrivals {
		if reached(t.checkpoint, pos) {
			close(ch)
			delete(t.arrivals, ch)
		}
	}
}

// Waited reports whether a caller waits for a position the checkpoint has not reached (Urgency).
func (t *tracker) Waited() bool {
	t.mu.Lock()
	defer t.mu.Unlock()
	return len(t.arrivals) > 0
}

// Hurried receives a signal when a caller starts waiting for a position the checkpoint has not reached
// (Urgency): a buffer of one, so signals merge and one may outlive its wait.
func (t *tracker) Hurried() <-chan struct{} { return t.hurry }
