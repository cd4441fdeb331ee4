package transport

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"time"
)

// ReadinessCheck is one dependency /readyz verifies, such as the read-model database or the event store.
// A failing Check's error text is shown under failures.<Name>; when the error (or one it wraps) also has a
// method ReadinessDetails() any, its result is shown under details.<Name> (projections.NotReadyError names
// the event a projection stopped on that way). Whoever reaches /readyz reads both: they must carry no
// personal data and no secret.
type ReadinessCheck struct {
	Name  string
	Check func(ctx context.Context) error
}

// readinessDetailer is the optional side of a ReadinessCheck error, see ReadinessCheck.
type readinessDetailer interface {
	error
	ReadinessDetails() any
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

// readyz answers 200 when every dependency answers, 503 with the failing ones otherwise, so load balancers
// send traffic only to instances that can serve it. The checks run at once under one readinessTimeout; a
// check still running then counts as failed and is not waited for, even if it ignores its context.
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
			case <-ctx.Done():
				for name := range pending {
					failures[name] = "no answer within " + readinessTimeout.String()
				}
				clear(pending)
			}
		}
		if len(failures) > 0 {
			body := map[string]any{"status": "unavailable", "failures": failures}
			if len(details) > 0 {
				body["details"] = details
			}
			writeJSON(w, http.StatusServiceUnavailable, body)
			return
		}
		writeJSON(w, http.StatusOK, map[string]string{"status": "ready"})
	})
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}
