package commands

import (
	"context"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// Written is where a command's last event stands in the global log, for read-your-writes. It is opaque to
// the HTTP layer, which only hands it to a ReadModelWait; cmd/pelcro, which knows both the event store and
// the projections, turns it back into a position (LogPosition). The zero Written means the command wrote
// nothing: there is nothing to wait for.
type Written struct {
	position eventstore.Position
}

// Written is where the result's last event stands; zero for a no-op on a stream that does not exist.
func (r Result) Written() Written { return Written{position: r.Position} }

// IsZero reports whether nothing was written.
func (w Written) IsZero() bool { return w.position == eventstore.Position{} }

// LogPosition is the event store position, for the wiring that waits on projections.
func (w Written) LogPosition() eventstore.Position { return w.position }

// String names the position, for logs.
func (w Written) String() string { return w.position.String() }

// ReadModelWait returns once a read model reflects a write, or with why it could not (a projection stopped,
// the context ended). cmd/pelcro wires one per read model to projections.Runner.WaitFor.
type ReadModelWait func(ctx context.Context, w Written) error
