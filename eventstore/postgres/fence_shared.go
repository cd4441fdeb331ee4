package postgres

import (
	"context"
	"sync"
)

// sharedFence lets concurrent readers share fence queries. A reader may only use a fence computed by a
// query that started after it asked: an older one may not cover the commit that woke it. So a reader joins
// the round that starts next — its own, when no query is running, or the one that follows the running one —
// and everyone waiting for that round gets its answer. With N subscriptions woken by one append, that is one
// or two fence queries instead of N.
type sharedFence struct {
	mu      sync.Mutex
	started uint64        // rounds started so far
	done    uint64        // the last round that finished
	value   string        // that round's fence
	err     error         // that round's error
	running chan struct{} // closed when the running round finishes; nil when none runs
}

// get returns the fence of a round that started after the call, running compute for it when no round is
// running. compute must not depend on the caller's context: other readers share its answer.
func (f *sharedFence) get(ctx context.Context, compute func() (string, error)) (string, error) {
	f.mu.Lock()
	need := f.started + 1 // the next round to start; a running one started before this call
	for {
		if f.done >= need {
			value, err := f.value, f.err
			f.mu.Unlock()
			return value, err
		}
		if f.running == nil {
			f.started++
			round, running := f.started, make(chan struct{})
			f.running = running
			f.mu.Unlock()
			value, err := compute()
			f.mu.Lock()
			f.value, f.err, f.done, f.running = value, err, round, nil
			close(running)
			continue
		}
		running := f.running
		f.mu.Unlock()
		select {
		case <-running:
		case <-ctx.Done():
			return "", ctx.Err()
		}
		f.mu.Lock()
	}
}
