package transport

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"
)

// ReadinessCheck is one dependency /readyz verifies, such as the read-model database or the event store.
// A failing Check's error text is shown under failures.<Name>. Two optional methods of the error (or of one
// it wraps) say more:
//   - ReadinessDetails() any: shown under details.<Name> (projections.NotReadyError names the event a
//     projection stopped on that way). Whoever reaches /readyz reads both: they must carry no personal data
//     and no secret.
//   - ReadinessDegraded() bool: true when this instance can still serve and every other instance is in the
//     same state (a read model stopped on an event, which all instances share), so taking it out of rotation
//     would only remove capacity. Such a failure alone answers 200 "degraded". Answer true only for states no
//     instance can escape by itself: a wrong true keeps a broken instance in rotation.
type ReadinessCheck struct {
	Name  string
	Check func(ctx context.Context) error
}

// readinessDetailer is an optional side of a ReadinessCheck error, see ReadinessCheck.
type readinessDetailer interface {
	error
	ReadinessDetails() any
}

// readinessDegrader is the other optional side of a ReadinessCheck error, see ReadinessCheck.
type readinessDegrader interface {
	error
	ReadinessDegraded() bool
}

// readinessTimeout bounds the whole readiness answer, so a hung dependency reports "not ready" instead of
// hanging probes (and the load balancer's connections).
const readinessTimeout = 2 * time.Second

// healthz answers while the process is alive; orchestrators restart the process when it stops answering.
func healthz() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
}

// readyz answers 200 "ready" when every dependency answers, 200 "degraded" when only degraded checks fail
// (see ReadinessCheck) and 503 "unavailable" otherwise, so load balancers send traffic only to instances
// that can serve it without emptying the pool over a state every instance shares. Every failure is named,
// whatever the status. The checks run at once under one readinessTimeout; a check still running then counts
// as failed (not degraded) and is not waited for, even if it ignores its context.
func readyz(checks []ReadinessCheck) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ctx, cancel := context.WithTimeout(r.Context(), readinessTimeout)
		defer cancel()
		type outcome struct {
			name string
			err  error
		}
		outcomes := make(chan outcome, len(checks)) // buffered: a late check never blocks on it
		pending := map[string]bool{}
		for _, c := range checks {
			pending[c.Name] = true
			go func() { outcomes <- outcome{c.Name, c.Check(ctx)} }()
		}
		failures, details := map[string]string{}, map[string]any{}
		degradedOnly := true
		for len(pending) > 0 {
			select {
			case o := <-outcomes:
				delete(pending, o.name)
				if o.err == nil {
					continue
				}
				failures[o.name] = o.err.Error()
				if detailer, ok := errors.AsType[readinessDetailer](o.err); ok {
					details[o.name] = detailer.ReadinessDetails()
				}
				degrader, ok := errors.AsType[readinessDegrader](o.err)
				degradedOnly = degradedOnly && ok && degrader.ReadinessDegraded()
			case <-ctx.Done():
				for name := range pending {
					failures[name] = "no answer within " + readinessTimeout.String()
				}
				clear(pending)
				degradedOnly = false
			}
		}
		if len(failures) == 0 {
			writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
			return
		}
		status, body := http.StatusServiceUnavailable, map[string]any{"status": "unavailable", "failures": failures}
		if degradedOnly {
			status, body["status"] = http.StatusOK, "degraded"
		}
		if len(details) > 0 {
			body["details"] = details
		}
		writeJSON(w, status, body)
	})
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
