package projections

import (
	"errors"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// states lists every State, for the one-hot state gauge.
var states = []State{StateNotRunning, StateRunning, StateCaughtUp, StateStopped}

// metrics are the runner's Prometheus series, all labelled by projection. Lag is not "events behind": the
// store port cannot count the events after a position cheaply, so it is the age of the oldest unapplied
// event (see trackerView.lag).
type metrics struct {
	checkpoint  *prometheus.GaugeVec
	lastApplied *prometheus.GaugeVec
	applied     *prometheus.CounterVec
	ignored     *prometheus.CounterVec
	failures    *prometheus.CounterVec
	state       *prometheus.GaugeVec
	stoppedAt   *prometheus.GaugeVec
	lag         *lagCollector
}

// newMetrics builds the series and registers them on reg (nil: not registered, for callers without metrics).
func newMetrics(reg prometheus.Registerer, trackers []*tracker) (*metrics, error) {
	m := &metrics{
		checkpoint: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "pelcro_projection_checkpoint_commit_position",
			Help: "Commit part of the global position the projection's checkpoint is at (opaque, for progress only).",
		}, []string{"projection"}),
		lastApplied: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "pelcro_projection_last_applied_timestamp_seconds",
			Help: "Unix time at which the projection's checkpoint last advanced.",
		}, []string{"projection"}),
		applied: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pelcro_projection_events_applied_total",
			Help: "Events whose read-model change committed.",
		}, []string{"projection"}),
		ignored: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pelcro_projection_events_ignored_total",
			Help: "Events acknowledged without a read-model change: unknown or unhandled types, or already applied.",
		}, []string{"projection", "reason"}),
		failures: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pelcro_projection_failures_total",
			Help: "Failed attempts to apply an event (each retry counts).",
		}, []string{"projection"}),
		state: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "pelcro_projection_state",
			Help: "1 for the projection's current state (not-running, running, caught-up, stopped), else 0.",
		}, []string{"projection", "state"}),
		// One series per stopped projection at most, labelled by event type (a bounded set): an alert fires on
		// its presence, and the value and label say where to look. Stream and revision are left to /readyz and
		// the CLI, as a label per stream would grow without bound.
		stoppedAt: prometheus.NewGaugeVec(prometheus.GaugeOpts{
			Name: "pelcro_projection_stopped_event_position",
			Help: "Present only while the projection is stopped: commit part of the position of the event it could not apply, with that event's type.",
		}, []string{"projection", "event_type"}),
		lag: &lagCollector{trackers: trackers, desc: prometheus.NewDesc("pelcro_projection_lag_seconds",
			"Age of the oldest event the projection has not applied yet; 0 when caught up and idle.",
			[]string{"projection"}, nil)},
	}
	for _, t := range trackers {
		m.setState(t.name, StateNotRunning)
	}
	if reg == nil {
		return m, nil
	}
	var errs []error
	for _, c := range []prometheus.Collector{m.checkpoint, m.lastApplied, m.applied, m.ignored, m.failures, m.state, m.stoppedAt, m.lag} {
		errs = append(errs, reg.Register(c))
	}
	return m, errors.Join(errs...)
}

// setState makes state the projection's only state set to 1.
func (m *metrics) setState(projection string, state State) {
	for _, s := range states {
		value := 0.0
		if s == state {
			value = 1
		}
		m.state.WithLabelValues(projection, string(s)).Set(value)
	}
}

// stopped records that a projection stopped at the event s names.
func (m *metrics) stopped(s Stop) {
	m.setState(s.Projection, StateStopped)
	m.stoppedAt.WithLabelValues(s.Projection, s.Event.Type).Set(float64(s.Event.Position.Commit))
}

// advanced records a checkpoint advance; ignoredReason is empty when the read model changed with it.
func (m *metrics) advanced(projection string, commit uint64, ignoredReason string) {
	m.checkpoint.WithLabelValues(projection).Set(float64(commit))
	m.lastApplied.WithLabelValues(projection).Set(float64(time.Now().UnixNano()) / 1e9)
	if ignoredReason == "" {
		m.applied.WithLabelValues(projection).Inc()
	} else {
		m.ignored.WithLabelValues(projection, ignoredReason).Inc()
	}
}

// lagCollector computes each projection's lag at scrape time from its tracker.
type lagCollector struct {
	trackers []*tracker
	desc     *prometheus.Desc
}

// Describe implements prometheus.Collector.
func (c *lagCollector) Describe(ch chan<- *prometheus.Desc) { ch <- c.desc }

// Collect implements prometheus.Collector.
func (c *lagCollector) Collect(ch chan<- prometheus.Metric) {
	now := time.Now()
	for _, t := range c.trackers {
		ch <- prometheus.MustNewConstMetric(c.desc, prometheus.GaugeValue, t.view().lag(now).Seconds(), t.name)
	}
}
