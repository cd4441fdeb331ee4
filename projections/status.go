package projections

import (
	"context"
	"errors"
	"fmt"
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
	// LastError is why the projection stopped, or the last subscription error while running; empty if none.
	LastError string
	// Lag is the age of the oldest event not applied yet (see the lag metric); zero when not running here.
	Lag time.Duration
}

// ReadStatus lists every projection that has a checkpoint, from the read-model database alone, for tools
// running in another process than the projections: the state there is always StateNotRunning.
func ReadStatus(ctx context.Context, db sqlx.QueryerContext) ([]Status, error) {
	checkpoints, err := ReadCheckpoints(ctx, db)
	if err != nil {
		return nil, err
	}
	statuses := make([]Status, 0, len(checkpoints))
	for _, c := range checkpoints {
		pos := c.Position
		statuses = append(statuses, Status{Name: c.Projection, Checkpoint: &pos, UpdatedAt: c.UpdatedAt, State: StateNotRunning})
	}
	return statuses, nil
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
		byName[run.name] = s
	}
	statuses := make([]Status, 0, len(byName))
	for _, s := range byName {
		statuses = append(statuses, s)
	}
	sort.Slice(statuses, func(i, j int) bool { return statuses[i].Name < statuses[j].Name })
	return statuses, nil
}

// Ready fails while any projection of this runner is stopped or not running, so /readyz can report it; its
// signature fits transport.ReadinessCheck. A projection still catching up is ready: read-your-writes
// (WaitFor) covers freshness per request.
func (r *Runner) Ready(context.Context) error {
	var errs []error
	for _, run := range r.runs {
		switch v := run.tracker.view(); v.state {
		case StateStopped:
			errs = append(errs, fmt.Errorf("%s: %w: %v", run.name, ErrProjectionStopped, v.lastError))
		case StateNotRunning:
			errs = append(errs, fmt.Errorf("%s: not running", run.name))
		}
	}
	return errors.Join(errs...)
}
