package billing

import (
	"context"
	"errors"
	"slices"
	"time"

	"github.com/pelcro-oss/pelcro-api/projections"
)

// caughtUpPoll is how often CaughtUp looks whether the runner's projections reached the log's head.
const caughtUpPoll = 20 * time.Millisecond

// CaughtUp returns once every named projection of runner (the billing deadlines, and the orders a billing
// run expires) applied every event written before it started (a billing run must see every subscription
// and order due), or with an error when stopped (closed when the runner's Run returned) comes first.
func CaughtUp(ctx context.Context, runner *projections.Runner, stopped <-chan struct{}, names ...string) error {
	for {
		statuses, err := runner.Status(ctx)
		if err != nil {
			return err
		}
		if !slices.ContainsFunc(names, func(name string) bool {
			return !slices.ContainsFunc(statuses, func(s projections.Status) bool {
				return s.Name == name && s.State == projections.StateCaughtUp
			})
		}) {
			return nil
		}
		select {
		case <-stopped:
			return errors.New("billing: the billing projections stopped")
		case <-ctx.Done():
			return ctx.Err()
		case <-time.After(caughtUpPoll):
		}
	}
}
