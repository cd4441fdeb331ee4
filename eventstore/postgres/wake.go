package postgres

import "sync"

// wakeHub fans a "something may have committed" signal out to every live subscription of a Store. Each
// subscription owns a channel with a buffer of one, so a signal is never lost while the subscription is busy
// and many signals coalesce into one extra look at the log.
type wakeHub struct {
	mu      sync.Mutex
	waiters map[chan struct{}]struct{}
}

func newWakeHub() *wakeHub {
	return &wakeHub{waiters: make(map[chan struct{}]struct{})}
}

// join registers a new waiter; leave must be called when it stops listening.
func (h *wakeHub) join() (wake <-chan struct{}, leave func()) {
	ch := make(chan struct{}, 1)
	h.mu.Lock()
	h.waiters[ch] = struct{}{}
	h.mu.Unlock()
	return ch, func() {
		h.mu.Lock()
		delete(h.waiters, ch)
		h.mu.Unlock()
	}
}

// broadcast wakes every waiter without ever blocking.
func (h *wakeHub) broadcast() {
	h.mu.Lock()
	defer h.mu.Unlock()
	for ch := range h.waiters {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}
