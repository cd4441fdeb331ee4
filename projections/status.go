package projections

import (
	"context"
	"sort"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// Status describes one projection for operators (the `pelcro projections status` CLI, logs, readiness).
type Status struct {
	Name string
	// Checkpoint is the position of the last event the read model reflects; nil before the first one.
	Checkpoint *eventstore.Position
	// UpdatedAt is when the checkpoint last moved (zero without a checkpoint).
	UpdatedAt time.Time
	State     State
	// LastError is why the projection stopped (the full error, as logged), or the last subscription error
	// while running; empty if none. Only the runner's own Status knows it.
	LastError string
	// Stop names the event the projection stopped at and a reason safe to show: this runner's stop, or one an
	// earlier run recorded that no run has moved past yet (whatever the State, which is this process's).
	Stop *Stop
	// Lag is the age of the oldest event not applied yet (see the lag metric); zero when not running here.
	Lag time.Duration
}

// ReadStatus lists every projection that has a checkpoint or a current stop, ordered by name, from the
// read-model database alone, for tools running in another process than the projections: the state there is
// always StateNotRunning.
func ReadStatus(ctx context.Context, db sqlx.QueryerContext) ([]Status, error) {
	checkpoints, err := ReadCheckpoints(ctx, db)
	if err != nil {
		return nil, err
	}
	stops, err := readStops(ctx, db)
	if err != nil {
		return nil, err
	}
	byName := map[string]Status{}
	for _, c := range checkpoints {
		pos := c.Position
		byName[c.Projection] = Status{Name: c.Projection, Checkpoint: &pos, UpdatedAt: c.UpdatedAt, State: StateNotRunning}
	}
	for name, stop := range stops {
		s := byName[name]
		if stop.current(s.Checkpoint) {
			s.Name, s.State, s.Stop = name, StateNotRunning, &stop
			byName[name] = s
		}
	}
	return sortedStatuses(byName), nil
}

// Status lists the persisted checkpoints (the table is authoritative: memory only follows its commits)
// merged with what this runner knows of the projections it runs (state, last error, lag, and the ones
// without a checkpoint yet), ordered by name.
func (r *Runner) Status(ctx context.Context) ([]Status, error) {
	persisted, err := ReadStatus(ctx, r.cfg.DB)
	if err != nil {
		return nil, err
	}
	byName := map[string]Status{}
	for _, s := range persisted {
		byName[s.Name] = s
	}
	now := time.Now()
	for _, run := range r.runs {
		s, v := byName[run.name], run.tracker.view()
		s.Name, s.State, s.Lag = run.name, v.state, v.lag(now)
		if v.lastError != nil {
			s.LastError = v.lastError.Error()
		}
		if v.stop != nil {
			s.Stop = v.stop
		}
		byName[run.name] = s
	}
	return sortedStatuses(byName), nil
}

func sortedStatuses(byName map[string]Status) []Status {
	statuses := make([]Status, 0, len(byName))
	for _, s := range byName {
		statuses = append(statuses, s)
	}
	sort.Slice(statuses, func(i, j int) bool { return statuses[i].Name < statuses[j].Name })
	return statuses
}
