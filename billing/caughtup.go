package billing

import (
	"context"
	"errors"
	"time"

	"github.com/pelcro-oss/pelcro-api/projections"
	"github.com/pelcro-oss/pelcro-api/projections/deadline"
)

// caughtUpPoll is how often CaughtUp looks whether the deadline projection reached the log's head.
const caughtUpPoll = 20 * time.Millisecond

// CaughtUp returns once runner's deadline projection applied every event written before it started (a
// billing run must see every subscription due), or with an error when stopped (closed when the runner's Run
// returned) comes first.
func CaughtUp(ctx context.Context, runner *projections.Runner, stopped <-chan struct{}) error {
	for {
		statuses, err := runner.Status(ctx)
		if err != nil {
			return err
		}
		for _, s := range statuses {
			if s.Name == deadline.Name && s.State == projections.StateCaughtUp {
				return nil
			}
		}
		select {
		case <-stopped:
			return errors.New("billing: the billing deadlines projection stopped")
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(caughtUpPoll):
		}
	}
}
