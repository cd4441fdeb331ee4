package projections

import (
	"context"
	"fmt"
	"reflect"
	"regexp"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// Projection is one read model: a name and the apply funcs of the events it cares about. Every other event
// of the log is acknowledged and only advances its checkpoint.
type Projection struct {
	// Name identifies the projection and ends in a version suffix, e.g. "plans.v1".
	//
	// Warning: the name is the key of the projection's checkpoint row. Renaming a projection (or bumping its
	// version) makes it start again from the beginning of the log into the same tables, applying every event
	// a second time; change it only together with fresh tables (see the package documentation on rebuilds).
	Name string
	// Handlers are the apply funcs, at most one per event Go type; build them with On.
	Handlers []Handler
	// Tables are the read-model tables the projection owns (unqualified names). Only Rebuild uses them: it
	// recomputes exactly these tables and swaps them in.
	Tables []string
	// NoRebuild, when not empty, says why the projection must never be replayed over history (e.g. its
	// apply funcs queue mail, and a replay would send it all again). Rebuild refuses such a projection with
	// ErrNotRebuildable and this reason. Warning: clearing it on such a projection re-sends its effects.
	NoRebuild string
	// Durable makes every commit of the running projection wait until it is on disk. Set it when the rows
	// cause effects beyond the database (the mail outbox: a message is sent from its row), which a commit
	// lost in a crash of PostgreSQL would cause again. A read model derived from the log alone leaves it
	// false: its commits do not wait for the disk, and a lost one is applied again from the log.
	Durable bool
	// Batch, when set, is how Rebuild applies history, and how the running projection applies the events it
	// had ready at once when more than one of them is handled: once per transaction, with every handled event,
	// instead of one handler call per event. A single event, and a batch being applied again after a failure,
	// go through Handlers. Warning: Batch must leave the tables exactly as calling the handlers on those
	// events in order would (same rows, same revision guards, same numbering); test it against them.
	Batch BatchFunc
	// RebuildBatch, when set, gives the Batch that one Rebuild (RebuildAll, Verify) applies history with, in
	// place of Batch: a fresh BatchFunc per rebuild, which may remember across its batches what it wrote
	// (strings.Clone any event string it keeps: see ApplyFunc).
	// That knowledge is sound only there: a rebuild's fresh tables start empty and nothing else writes them,
	// while the live tables can hold rows ahead of the checkpoint. A batch's transaction may still roll
	// back after the BatchFunc returns (and the page be applied again): whatever it remembers must be safe
	// to remember in vain. Warning: the same rule as Batch holds, for a rebuild's sequence of batches over
	// empty tables; test it against the handlers. What it wrongly forgets goes unnoticed by the rebuild
	// itself (rows replaced or events skipped); Verify, whose live side never uses it, finds that.
	RebuildBatch func() BatchFunc
	// ChangeKey, when set, is the key of the part of the read model a handled event changes (the stock levels:
	// the SKU id), counted per key as it reaches the checkpoint, so a cache of one part can tell whether that
	// part changed (Runner.KeyedDataVersion) instead of dropping every answer at any change.
	ChangeKey func(data any) int64
}

// batchForRebuild is the BatchFunc one rebuild of p applies its pages with (nil: the handlers).
func (p Projection) batchForRebuild() BatchFunc {
	if p.RebuildBatch != nil {
		return p.RebuildBatch()
	}
	return p.Batch
}

// BatchFunc applies many events to a read model inside tx at once: set-based statements over the whole
// batch, where per-event statements would cap the throughput of a replay of the whole log. events are in log
// order and each Data holds the Go type of one of the projection's handlers. The rules of ApplyFunc hold.
type BatchFunc func(ctx context.Context, tx *sqlx.Tx, events []Event[any]) error

// projectionName is a lower-case dotted name ending in ".v<number>".
var projectionName = regexp.MustCompile(`^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*\.v[0-9]+$`)

// Envelope is where an event sits in the log and where it came from. Read models store Revision (per stream)
// or Position (global) in their rows when they need to recognise an event they already reflect.
type Envelope struct {
	ID       uuid.UUID
	Stream   string
	Revision uint64
	Position eventstore.Position
	Type     string
	Created  time.Time
	Metadata aggregates.Metadata
}

// Event is what an apply func receives: the payload decoded into its newest Go type, and its envelope.
type Event[E any] struct {
	Envelope
	Data E
}

// ApplyFunc changes a read model for one event inside tx, the transaction that also advances the
// projection's checkpoint. It must do all its work through tx (never through another connection, or the
// change and the checkpoint can part after a crash) and must not commit or roll it back. Returning an error
// rolls both back; the event is then retried and, if it keeps failing, the projection stops. Warning: the
// text of an error of ours is persisted and shown to operators (Stop.Reason): never put personal data in it
// (ids are fine; PostgreSQL's own messages are reduced to their code). Warning: in a rebuild the event's
// strings are views of the log's read buffer (decodeAll): strings.Clone any string kept past the call, or it
// keeps that whole buffer, personal data included, in memory.
type ApplyFunc[E any] func(ctx context.Context, tx *sqlx.Tx, e Event[E]) error

// Handler is an apply func for one event Go type, erased so one projection can hold many; build it with On
// or OnStatement.
type Handler struct {
	eventType reflect.Type
	apply     func(ctx context.Context, tx *sqlx.Tx, env Envelope, data any) error
	// statement, set by OnStatement only, is the one statement apply runs.
	statement func(env Envelope, data any) (Statement, error)
}

// OneStatement reports whether h was built with OnStatement, so that a running projection applies a lone
// event of it together with its checkpoint in one statement. A projection's tests use it to keep their
// handlers on that path: one quietly turned back into On only costs round trips, which no other test sees.
func (h Handler) OneStatement() bool { return h.statement != nil }

// On makes a Handler applying events of Go type E (the type registered in the aggregates registry, a value
// not a pointer).
func On[E any](apply ApplyFunc[E]) Handler {
	return Handler{
		eventType: reflect.TypeFor[E](),
		apply: func(ctx context.Context, tx *sqlx.Tx, env Envelope, data any) error {
			return apply(ctx, tx, Event[E]{Envelope: env, Data: data.(E)})
		},
	}
}

// dispatcher routes decoded events to a projection's handlers by Go type.
type dispatcher map[reflect.Type]Handler

// newDispatcher validates p and indexes its handlers.
func newDispatcher(p Projection) (dispatcher, error) {
	if !projectionName.MatchString(p.Name) {
		return nil, fmt.Errorf("projections: name %q must be lower-case and end in a version suffix like \".v1\"", p.Name)
	}
	d := dispatcher{}
	for _, h := range p.Handlers {
		if h.apply == nil {
			return nil, fmt.Errorf("projections: %s: handler not built with On", p.Name)
		}
		if _, dup := d[h.eventType]; dup {
			return nil, fmt.Errorf("projections: %s: two handlers for %v", p.Name, h.eventType)
		}
		d[h.eventType] = h
	}
	return d, nil
}
