package projections

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

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
	name     string
	dispatch dispatcher
	tracker  *tracker
	db       *sqlx.DB
	registry *aggregates.Registry
	metrics  *metrics
	log      *slog.Logger
	// afterCommit, when set (tests only), runs after a successful commit, before the handler returns and
	// the message is acknowledged: the place a crash leaves the read model ahead of the subscription.
	afterCommit func(ctx context.Context, pos eventstore.Position) error
}

// handle is the watermill handler of the projection: it decodes the event, applies it through the
// projection's handler for its Go type and advances the checkpoint, in one transaction.
func (p *projectionRun) handle(msg *message.Message) error {
	ctx := msg.Context()
	ev, err := recordFromMessage(msg)
	if err != nil {
		return err
	}
	p.tracker.handling(ev.Created)
	apply, ignored, err := p.applier(ctx, ev)
	if err != nil {
		return err
	}
	committed, err := inCheckpointTx(ctx, p.db, p.name, ev.Position, apply)
	if err != nil {
		return err
	}
	handled := ignored == ""
	if !committed {
		ignored = ignoredApplied
	}
	p.tracker.advanced(ev.Position, ev.Created, handled)
	p.metrics.advanced(p.name, ev.Position.Commit, ignored)
	if p.afterCommit != nil {
		return p.afterCommit(ctx, ev.Position)
	}
	return nil
}

// applier decodes ev and returns what to run inside the checkpoint transaction. For an event the projection
// does not handle it returns a no-op and the reason it is ignored.
func (p *projectionRun) applier(ctx context.Context, ev eventstore.RecordedEvent) (apply func(*sqlx.Tx) error, ignored string, err error) {
	e, h, ignored, err := p.decode(ev)
	if err != nil || ignored != "" {
		return func(*sqlx.Tx) error { return nil }, ignored, err
	}
	return func(tx *sqlx.Tx) error {
		if err := h.apply(ctx, tx, e.Envelope, e.Data); err != nil {
			return fmt.Errorf("projections: %s: apply %s (stream %s revision %d, position %s): %w",
				p.name, ev.Type, ev.StreamID, ev.Revision, ev.Position, err)
		}
		return nil
	}, "", nil
}

// decode decodes ev into what its handler receives, with that handler. For an event the projection does not
// handle it returns the reason it is ignored instead.
func (p *projectionRun) decode(ev eventstore.RecordedEvent) (e Event[any], h Handler, ignored string, err error) {
	md, err := aggregates.ParseMetadata(ev.Metadata)
	if err != nil {
		return e, h, "", fmt.Errorf("projections: %s: event %s at %s: %w", p.name, ev.ID, ev.Position, err)
	}
	data, err := p.registry.Decode(ev.Type, md.SchemaVersion, ev.Data)
	if errors.Is(err, aggregates.ErrUnknownEvent) {
		return e, h, ignoredUnknown, nil
	}
	if err != nil {
		return e, h, "", fmt.Errorf("projections: %s: event %s at %s: %w", p.name, ev.ID, ev.Position, err)
	}
	h, ok := p.dispatch.handlerFor(data)
	if !ok {
		return e, h, ignoredUnhandled, nil
	}
	e = Event[any]{Envelope: Envelope{ID: ev.ID, Stream: ev.StreamID, Revision: ev.Revision, Position: ev.Position,
		Type: ev.Type, Created: ev.Created, Metadata: md}, Data: data}
	return e, h, "", nil
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
// redelivering, and reports the stop in the tracker, the metrics and the log. An error caused by the runner
// shutting down (the message context ended) is not a failure.
func (p *projectionRun) stopOnFailure(stop func()) message.HandlerMiddleware {
	return func(h message.HandlerFunc) message.HandlerFunc {
		return func(msg *message.Message) ([]*message.Message, error) {
			out, err := h(msg)
			if err == nil || msg.Context().Err() != nil {
				return out, err
			}
			stop()
			p.tracker.stopped(err)
			p.metrics.setState(p.name, StateStopped)
			p.log.Error("projection stopped: event keeps failing after retries; fix and restart",
				"projection", p.name, "event_id", msg.UUID, "position",
				msg.Metadata.Get(MetadataPositionCommit)+"/"+msg.Metadata.Get(MetadataPositionPrepare), "error", err)
			return out, err
		}
	}
}
