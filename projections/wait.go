package projections

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// ErrProjectionStopped is returned (wrapped) by WaitFor and Ready for a projection that stopped after an
// event kept failing: it will not advance until the process restarts.
var ErrProjectionStopped = errors.New("projection stopped")

// WaitFor returns once every named projection's checkpoint is at or after pos, typically the Position of an
// append, so a command's answer can be read back from the read models (read-your-writes). It returns ctx's
// error when ctx ends first, and wraps ErrProjectionStopped for a projection of this runner that stopped.
//
// Projections this runner runs are waited for in memory (woken by each commit, no polling); the checkpoint
// table is read once as well, in case another process running the same projection is ahead. Projections
// run elsewhere are checked in the table every WaitPollInterval.
func (r *Runner) WaitFor(ctx context.Context, pos eventstore.Position, projectionNames ...string) error {
	for _, name := range projectionNames {
		if err := r.waitForOne(ctx, pos, name); err != nil {
			return err
		}
	}
	return nil
}

func (r *Runner) waitForOne(ctx context.Context, pos eventstore.Position, name string) error {
	run, local := r.byName[name]
	var poll <-chan time.Time
	if !local {
		ticker := time.NewTicker(r.cfg.WaitPollInterval)
		defer ticker.Stop()
		poll = ticker.C
	}
	checkedTable := false
	for {
		var changed <-chan struct{}
		var view trackerView
		if local {
			view = run.tracker.view()
			if reached(view.checkpoint, pos) {
				return nil
			}
			changed = view.changed
		}
		if !local || !checkedTable {
			current, ok, err := readCheckpoint(ctx, r.cfg.DB, name, false)
			if err != nil {
				return err
			}
			if ok && reached(&current, pos) {
				return nil
			}
			checkedTable = true
		}
		if view.state == StateStopped {
			return fmt.Errorf("projections: wait for %s to reach %s: %w: %v", name, pos, ErrProjectionStopped, view.lastError)
		}
		select {
		case <-changed:
		case <-poll:
		case <-ctx.Done():
			return fmt.Errorf("projections: wait for %s to reach %s: %w", name, pos, ctx.Err())
		}
	}
}

// reached reports whether a checkpoint (nil: none yet) is at or after pos.
func reached(checkpoint *eventstore.Position, pos eventstore.Position) bool {
	return checkpoint != nil && checkpoint.Compare(pos) >= 0
}
