package postgres

import (
	"time"

	"github.com/lib/pq"
)

// notifyChannel is the LISTEN/NOTIFY channel appends are announced on. NOTIFY is scoped to one database, so
// stores in different databases never wake each other.
const notifyChannel = "pelcro_eventstore_appended"

// notifyQuery announces appends of the Store named origin (a UUID, see Store.origin). It has no arguments so
// lib/pq sends it as one simple query: one round trip.
func notifyQuery(origin string) string {
	return `SELECT pg_notify('` + notifyChannel + `', '` + origin + `')`
}

// notifyInterval is the least time between two NOTIFYs of one Store. Each NOTIFY is a committed transaction
// of its own; sending one per append cost about a tenth of the append throughput under load. Subscriptions
// of this process are woken at once regardless; other processes hear of a burst of appends at most this
// late.
const notifyInterval = 5 * time.Millisecond

// listenerPing is how often an idle LISTEN connection is checked, so a silently dropped connection is
// noticed and re-established (pq.Listener then reconnects and we poll once).
const listenerPing = time.Minute

// runNotifier sends one NOTIFY per burst of committed appends, outside the appends' own transactions.
//
// Warning: do not move pg_notify into the append transaction. PostgreSQL serialises the commits of every
// notifying transaction in the cluster on one lock held through the WAL flush, which would turn concurrent
// appends into one-at-a-time commits.
func (s *Store) runNotifier() {
	defer s.running.Done()
	for {
		select {
		case <-s.ctx.Done():
			return
		case <-s.notifySignal:
			if _, err := s.db.ExecContext(s.ctx, notifyQuery(s.origin)); err != nil && s.ctx.Err() == nil {
				// Subscribers elsewhere fall back to polling; nothing is lost but latency.
				s.opts.logger.Warn("eventstore/postgres: notify failed", "err", err)
			}
			select { // appends committed meanwhile leave one signal behind, sent after the pause
			case <-s.ctx.Done():
				return
			case <-time.After(notifyInterval):
			}
		}
	}
}

// startListener starts, once per Store and only when a listen URL is configured, the goroutine that turns
// NOTIFYs from any process into wake-ups of this Store's subscriptions.
func (s *Store) startListener() {
	if s.opts.listenURL == "" {
		return
	}
	s.listenOnce.Do(func() {
		listener := pq.NewListener(s.opts.listenURL, 100*time.Millisecond, 10*time.Second, s.logListenerEvent)
		s.running.Add(1)
		go s.runListener(listener)
	})
}

func (s *Store) runListener(listener *pq.Listener) {
	defer s.running.Done()
	defer listener.Close()
	s.running.Add(1)
	go func() {
		defer s.running.Done()
		// Listen blocks until the first connection succeeds or the listener is closed (by the defer above).
		if err := listener.Listen(notifyChannel); err != nil && s.ctx.Err() == nil {
			s.opts.logger.Warn("eventstore/postgres: listen failed; subscriptions will poll", "err", err)
		}
	}()
	ping := time.NewTicker(listenerPing)
	defer ping.Stop()
	for {
		select {
		case <-s.ctx.Done():
			return
		case n := <-listener.Notify:
			// A nil notification means the connection was re-established: notifications may have been
			// missed, so waking is right then. The Store's own NOTIFYs are skipped: committed woke its
			// subscriptions when those appends returned, and waking them again a few milliseconds later cost
			// every subscription at the head of the log a fence query and a page read that found nothing.
			if n != nil && n.Extra == s.origin {
				continue
			}
			s.wakes.broadcast()
		case <-ping.C:
			// A failed ping makes the listener reconnect by itself; the error needs no handling here. Close
			// waits for the ping, which ends at the latest when the deferred listener.Close runs.
			s.running.Add(1)
			go func() { defer s.running.Done(); _ = listener.Ping() }()
		}
	}
}

func (s *Store) logListenerEvent(event pq.ListenerEventType, err error) {
	if err != nil {
		s.opts.logger.Warn("eventstore/postgres: listener connection", "event", event, "err", err)
	}
}
