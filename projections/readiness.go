package projections

import (
	"context"
	"strings"
	"time"
)

// Ready fails while any projection of this runner is stopped or not running, so /readyz can report it; its
// signature fits transport.ReadinessCheck. A projection still catching up is ready: read-your-writes
// (WaitFor) covers freshness per request. The error is a *NotReadyError; a stop alone only degrades the
// instance (NotReadyError.ReadinessDegraded).
func (r *Runner) Ready(context.Context) error {
	var notReady NotReadyError
	for _, run := range r.runs {
		switch v := run.tracker.view(); v.state {
		case StateStopped:
			notReady.Stopped = append(notReady.Stopped, *v.stop)
		case StateNotRunning:
			notReady.NotRunning = append(notReady.NotRunning, run.name)
		}
	}
	if len(notReady.Stopped) == 0 && len(notReady.NotRunning) == 0 {
		return nil
	}
	return &notReady
}

// NotReadyError is Ready's error: the runner's stopped projections, each with the event that stopped it,
// and those not running. Neither its text nor its details quote the failure itself, which may carry
// personal data: whoever reaches /readyz sees them.
type NotReadyError struct {
	Stopped    []Stop
	NotRunning []string
}

func (e *NotReadyError) Error() string {
	parts := make([]string, 0, len(e.Stopped)+len(e.NotRunning))
	for _, s := range e.Stopped {
		parts = append(parts, s.Projection+": "+ErrProjectionStopped.Error()+" on "+s.Event.String())
	}
	for _, name := range e.NotRunning {
		parts = append(parts, name+": not running")
	}
	return strings.Join(parts, "; ")
}

// Is makes errors.Is(err, ErrProjectionStopped) hold when a projection stopped.
func (e *NotReadyError) Is(target error) bool {
	return target == ErrProjectionStopped && len(e.Stopped) > 0
}

// ReadinessDegraded reports whether the runner is only degraded: projections stopped, none missing. A stop
// is the same on every instance (they read one log and stop on the same event, until a release can apply
// it), so taking this instance out of a load balancer would only remove capacity from endpoints that do not
// wait for the stopped read model. A projection not running is this instance's own trouble (still starting,
// or its runner ended), which another instance may not share: that stays a failure.
func (e *NotReadyError) ReadinessDegraded() bool {
	return len(e.Stopped) > 0 && len(e.NotRunning) == 0
}

// ReadinessDetails is the JSON /readyz shows under details: enough to find the stopping event in the log
// and to alert on it, no error text.
func (e *NotReadyError) ReadinessDetails() any {
	details := readinessDetails{NotRunning: e.NotRunning, Stopped: make([]stoppedDetail, len(e.Stopped))}
	for i, s := range e.Stopped {
		details.Stopped[i] = stoppedDetail{Projection: s.Projection, Position: s.Event.Position.String(),
			Stream: s.Event.Stream, Revision: s.Event.Revision, EventType: s.Event.Type, EventID: s.Event.ID.String(),
			StoppedAt: s.At}
	}
	return details
}

type readinessDetails struct {
	Stopped    []stoppedDetail `json:"stopped"`
	NotRunning []string        `json:"not_running,omitempty"`
}

type stoppedDetail struct {
	Projection string    `json:"projection"`
	Position   string    `json:"position"`
	Stream     string    `json:"stream"`
	Revision   uint64    `json:"revision"`
	EventType  string    `json:"event_type"`
	EventID    string    `json:"event_id"`
	StoppedAt  time.Time `json:"stopped_at"`
}
