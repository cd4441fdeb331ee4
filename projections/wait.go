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
// Projections this runner runs are waited for in memory, each waiter woken by the commit that reaches its
// position (no polling). While such a projection is not caught up, the checkpoint table is read once as
// well, in case another process running the same projection is ahead; a caught-up one follows the log
// live, so that read would only add a query to every wait. Projections run elsewhere are checked in the
// table every WaitPollInterval.
//
// With several names, every named projection of this runner counts as waited for from the start, not only
// the one waited on at the moment: a lingering feed (Config.LiveLinger) stops lingering as soon as it is, so
// this runner's projections are applied side by side and the wait lasts as long as the slowest, not their
// sum (projections run elsewhere are still polled one after another).
func (r *Runner) WaitFor(ctx context.Context, pos eventstore.Position, projectionNames ...string) error {
	for _, name := range projectionNames[min(1, len(projectionNames)):] { // waitForOne registers the first itself
		if run, local := r.byName[name]; local {
			_, _, forget := run.tracker.await(pos)
			defer forget()
		}
	}
	for _, name := range projectionNames {
		if err := r.waitForOne(ctx, pos, name); err != nil {
			return err
		}
	}
	return nil
}

func (r *Runner) waitForOne(ctx context.Context, pos eventstore.Position, name string) error {
	if run, local := r.byName[name]; local {
		return r.waitForLocal(ctx, pos, run)
	}
	ticker := time.NewTicker(r.cfg.WaitPollInterval)
	defer ticker.Stop()
	for {
		if ok, err := r.tableReached(ctx, pos, name); ok || err != nil {
			return err
		}
		select {
		case <-ticker.C:
		case <-ctx.Done():
			return fmt.Errorf("projections: wait for %s to reach %s: %w", name, pos, ctx.Err())
		}
	}
}

// waitForLocal waits for a projection of this runner in memory.
func (r *Runner) waitForLocal(ctx context.Context, pos eventstore.Position, run *projectionRun) error {
	checkedTable := false
	for {
		view, arrived, forget := run.tracker.await(pos)
		if arrived == nil {
			return nil
		}
		if !checkedTable && view.state != StateCaughtUp {
			checkedTable = true
			if ok, err := r.tableReached(ctx, pos, run.name); ok || err != nil {
				forget()
				return err
			}
		}
		if view.state == StateStopped {
			forget()
			return fmt.Errorf("projections: wait for %s to reach %s: %w: %v", run.name, pos, ErrProjectionStopped, view.lastError)
		}
		select {
		case <-arrived:
			return nil
		case <-view.changed:
			forget()
		case <-ctx.Done():
			forget()
			return fmt.Errorf("projections: wait for %s to reach %s: %w", run.name, pos, ctx.Err())
		}
	}
}

// tableReached reports whether the checkpoint table holds the named projection at or after pos.
func (r *Runner) tableReached(ctx context.Context, pos eventstore.Position, name string) (bool, error) {
	current, ok, err := readCheckpoint(ctx, r.cfg.DB, name, false)
	if err != nil {
		return false, err
	}
	return ok && reached(&current, pos), nil
}

// reached reports whether a checkpoint (nil: none yet) is at or after pos.
func reached(checkpoint *eventstore.Position, pos eventstore.Position) bool {
	return checkpoint != nil && checkpoint.Compare(pos) >= 0
}
