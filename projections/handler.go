package projections

import (
	"context"
	"errors"
	"log/slog"
	"sync/atomic"
	"time"

	"github.com/ThreeDotsLabs/watermill/message"
	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// Reasons an event is acknowledged without a read-model change (the "reason" label of the ignored counter).
const (
	ignoredUnknown   = "unknown_type"
	ignoredUnhandled = "unhandled_type"
	ignoredApplied   = "already_applied"
)

// projectionRun is one projection inside a running Runner: its handlers, its tracker and what it writes to.
type projectionRun struct {
	name    string
	durable bool
	batch   BatchFunc
	// changeKey is the projection's ChangeKey (nil: its changes are counted as a whole only).
	changeKey func(data any) int64
	dispatch  dispatcher
	tracker   *tracker
	db        *sqlx.DB
	registry  *aggregates.Registry
	metrics   *metrics
	log       *slog.Logger
	// pendingStop is the position of the event a persisted stop names, while the projection has not moved
	// past it since it started (nil otherwise): the transaction that does clears the stop.
	pendingStop atomic.Pointer[eventstore.Position]
	// committed is the checkpoint this run's last transaction committed (nil before the first): the
	// checkpoint flush leaves a projection alone while its tracker stands there.
	committed atomic.Pointer[eventstore.Position]
	// failedBatch is the position of the first event of the last batch that failed: when it comes again,
	// its events are applied one at a time. Only the handler's goroutine touches it (one message in flight).
	failedBatch *eventstore.Position
	// afterCommit, when set (tests only), runs after a successful commit, before the handler returns and
	// the message is acknowledged: the place a crash leaves the read model ahead of the subscription.
	afterCommit func(ctx context.Context, pos eventstore.Position) error
}

// handle is the watermill handler of the projection: it applies the events the message carries (one, or a
// batch the subscription had ready) and advances the checkpoint, in one transaction. A batch that failed is
// applied one event per transaction when it is delivered again: those before the culprit land, and the error
// — and the stop, once retries run out — names the culprit.
func (p *projectionRun) handle(msg *message.Message) error {
	ctx := msg.Context()
	events, err := eventsOf(msg)
	if err != nil {
		return err
	}
	if len(events) > 1 && (p.failedBatch == nil || *p.failedBatch != events[0].Position) {
		if err := p.apply(ctx, events); err != nil {
			if ctx.Err() == nil {
				p.failedBatch = &events[0].Position
			}
			return err
		}
		return nil
	}
	for _, ev := range events {
		if err := p.apply(ctx, []eventstore.RecordedEvent{ev}); err != nil {
			var named *EventError
			if !errors.As(err, &named) {
				err = &EventError{Projection: p.name, Event: refOf(ev), Err: err}
			}
			return err
		}
	}
	p.failedBatch = nil
	return nil
}

// applier decodes ev and returns what to run inside the checkpoint transaction. For an event the projection
// does not handle it returns a no-op and the reason it is ignored.
func (p *projectionRun) applier(ctx context.Context, ev eventstore.RecordedEvent) (apply func(*sqlx.Tx) error, ignored string, err error) {
	e, h, ignored, err := p.decode(ev)
	s := step{ev: &ev, event: &e, handler: h, ignored: ignored}
	return func(tx *sqlx.Tx) error { return p.applyStep(ctx, tx, s) }, ignored, err
}

// decode decodes ev into what its handler receives, with that handler. For an event the projection does not
// handle it returns the reason it is ignored instead.
// The type is looked up by name first: an event the projection has no handler for is never decoded, since
// most of the log is other aggregates' events and decoding is most of the cost of reading it.
func (p *projectionRun) decode(ev eventstore.RecordedEvent) (e Event[any], h Handler, ignored string, err error) {
	if h, ignored = p.handlerOf(ev.Type); ignored != "" {
		return e, h, ignored, nil
	}
	e, err = decodeEvent(p.registry, ev)
	if err != nil {
		return e, h, "", &EventError{Projection: p.name, Event: refOf(ev), Err: err}
	}
	return e, h, "", nil
}

// handlerOf returns the handler of the events named name, or why the projection ignores them.
func (p *projectionRun) handlerOf(name string) (h Handler, ignored string) {
	goType, ok := p.registry.GoType(name)
	if !ok {
		return h, ignoredUnknown
	}
	if h, ok = p.dispatch[goType]; !ok {
		return h, ignoredUnhandled
	}
	return h, ""
}

// countFailures counts every failed attempt; it sits inside the retry middleware.
func (p *projectionRun) countFailures(h message.HandlerFunc) message.HandlerFunc {
	return func(msg *message.Message) ([]*message.Message, error) {
		out, err := h(msg)
		if err != nil && msg.Context().Err() == nil {
			p.metrics.failures.WithLabelValues(p.name).Inc()
			p.log.Warn("projection failed to apply an event; retrying", "projection", p.name, "event_id", msg.UUID, "error", err)
		}
		return out, err
	}
}

// stopOnFailure sits outside the retry middleware: an error reaching it means the retries are exhausted.
// It stops the projection's handler before the router Nacks, so the Subscriber ends the feed instead of
// redelivering, and reports the stop, naming the event, in the tracker, the metrics, the log and
// projection_stops (for operator tools in other processes). An error caused by the runner shutting down
// (the message context ended) is not a failure.
func (p *projectionRun) stopOnFailure(stop func()) message.HandlerMiddleware {
	return func(h message.HandlerFunc) message.HandlerFunc {
		return func(msg *message.Message) ([]*message.Message, error) {
			out, err := h(msg)
			if err == nil || msg.Context().Err() != nil {
				return out, err
			}
			stop()
			event := refOfMessage(msg)
			var named *EventError
			if errors.As(err, &named) {
				event = named.Event // the culprit of a batch, which need not be its first event
			}
			s := newStop(p.name, event, err)
			p.tracker.stopped(err, s)
			p.metrics.stopped(s)
			p.log.Error("projection stopped: event keeps failing after retries; fix and restart",
				"projection", p.name, "event_id", s.Event.ID, "event_type", s.Event.Type, "stream", s.Event.Stream,
				"revision", s.Event.Revision, "position", s.Event.Position.String(), "error", err)
			if saveErr := p.saveStop(msg.Context(), s); saveErr != nil {
				p.log.Error("projection stop not recorded; operator tools will not show it", "projection", p.name,
					"error", saveErr)
			}
			return out, err
		}
	}
}

// saveStopTimeout bounds the write of a stop, which must outlive the message's context: stopping the handler
// cancels it.
const saveStopTimeout = 5 * time.Second

func (p *projectionRun) saveStop(ctx context.Context, s Stop) error {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), saveStopTimeout)
	defer cancel()
	return saveStop(ctx, p.db, s)
}

// refOfMessage is the event a message carries, as far as its metadata can be read.
func refOfMessage(msg *message.Message) EventRef {
	if ev, err := recordFromMessage(msg); err == nil {
		return refOf(ev)
	}
	return EventRef{Type: msg.Metadata.Get(MetadataEventType), Stream: msg.Metadata.Get(MetadataStream)}
}
