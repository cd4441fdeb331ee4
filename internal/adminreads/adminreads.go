// Package adminreads answers the admin API and console (transport.AdminReads) from the operator package, the
// projection runner and the read models. It lives apart from transport, which never reads the event log, and
// from cmd/pelcro, so the HTTP benchmark wires the same component as pelcro serve.
package adminreads

import (
	"context"
	"encoding/json"
	"errors"

	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/operator"
	"github.com/pelcro-oss/pelcro-api/projections"
	"github.com/pelcro-oss/pelcro-api/queries"
	"github.com/pelcro-oss/pelcro-api/transport"
)

// adminLagCap bounds how many events the admin API counts after a checkpoint: a status page must stay
// quick however far a projection is behind (the CLI counts further).
const adminLagCap = 10_000

// Reads is transport.AdminReads over the operator package (so the admin API and the CLI's operator commands
// give the same answers), the projection runner of this process and the customers read model.
type Reads struct {
	queries.Customers
	Operator *operator.Operator
	Runner   *projections.Runner
	// Store is the event store the lag is counted in.
	Store eventstore.Store
}

// Projections lists the runner's projections with the events each has left to apply (counted up to
// adminLagCap; projections sharing a checkpoint are counted once).
func (a Reads) Projections(ctx context.Context) ([]transport.AdminProjection, error) {
	statuses, err := a.Runner.Status(ctx)
	if err != nil {
		return nil, err
	}
	type lag struct {
		n      int
		capped bool
	}
	counted := map[string]lag{}
	list := make([]transport.AdminProjection, 0, len(statuses))
	for _, s := range statuses {
		p := transport.AdminProjection{Name: s.Name, State: string(s.State), LagSeconds: s.Lag.Seconds(), Error: s.LastError}
		from, key := eventstore.AllStart(), "start"
		if s.Checkpoint != nil {
			updated := s.UpdatedAt.Unix()
			p.Checkpoint, p.UpdatedAt = s.Checkpoint.String(), &updated
			from, key = eventstore.AllAfter(*s.Checkpoint), s.Checkpoint.String()
		}
		if s.Stop != nil && p.Error == "" {
			p.Error = s.Stop.String()
		}
		behind, ok := counted[key]
		if !ok {
			if behind.n, behind.capped, err = projections.CountEventsAfter(ctx, a.Store, from, adminLagCap); err != nil {
				return nil, err
			}
			counted[key] = behind
		}
		p.LagEvents, p.LagCapped = int64(behind.n), behind.capped
		list = append(list, p)
	}
	return list, nil
}

// Timeline is operator.Timeline in the admin API's words.
func (a Reads) Timeline(ctx context.Context, customerID int64, q transport.AdminPage) (transport.AdminTimeline, error) {
	page, err := a.Operator.Timeline(ctx, customerID, q.Since, q.Limit, q.Cursor)
	switch {
	case errors.Is(err, operator.ErrBadCursor):
		return transport.AdminTimeline{}, transport.ErrAdminCursor
	case errors.Is(err, operator.ErrUnknownCustomer):
		// In the customers read model but not yet in the stream index: nothing to tell yet.
		return transport.AdminTimeline{Entries: []transport.AdminTimelineEntry{}}, nil
	case err != nil:
		return transport.AdminTimeline{}, err
	}
	out := transport.AdminTimeline{Entries: make([]transport.AdminTimelineEntry, 0, len(page.Entries)), Next: page.Next}
	for _, e := range page.Entries {
		out.Entries = append(out.Entries, transport.AdminTimelineEntry{Time: e.Time.Unix(), Summary: e.What,
			Type: e.Type, Stream: e.Stream, Revision: e.Revision, Position: e.At, Actor: e.Who,
			CorrelationID: e.CorrelationID, CausationID: e.CausationID, CommandID: e.CommandID})
	}
	return out, nil
}

// CustomerAsOf is operator.CustomerAsOf.
func (a Reads) CustomerAsOf(ctx context.Context, customerID int64, at transport.AdminInstant) (queries.Customer, error) {
	instant := operator.Instant{Time: at.Time}
	if at.Position != "" {
		position, err := operator.ParsePosition(at.Position)
		if err != nil {
			return queries.Customer{}, err // transport checked the shape: a number out of range at most
		}
		instant.Position = &position
	}
	c, err := a.Operator.CustomerAsOf(ctx, customerID, instant)
	if errors.Is(err, operator.ErrNotYet) || errors.Is(err, operator.ErrUnknownCustomer) {
		return queries.Customer{}, queries.ErrNotFound
	}
	return c, err
}

// Events is operator.CustomerEvents in the admin API's words.
func (a Reads) Events(ctx context.Context, customerID int64, q transport.AdminPage) (transport.AdminEvents, error) {
	page, err := a.Operator.CustomerEvents(ctx, customerID, q.Cursor, q.Limit, q.Reveal)
	if errors.Is(err, operator.ErrBadCursor) {
		return transport.AdminEvents{}, transport.ErrAdminCursor
	}
	if err != nil {
		return transport.AdminEvents{}, err
	}
	out := transport.AdminEvents{Events: make([]transport.AdminEvent, 0, len(page.Entries)), Next: page.Next}
	for _, e := range page.Entries {
		metadata, _ := json.Marshal(map[string]any{"actor": e.Actor, "correlation_id": e.CorrelationID,
			"causation_id": e.CausationID, "command_id": e.CommandID, "site_id": e.SiteID, "schema_version": e.SchemaVersion})
		out.Events = append(out.Events, transport.AdminEvent{Position: e.At, Stream: e.Stream, Revision: e.Revision,
			Type: e.Type, Time: e.Time.Unix(), Metadata: metadata, Data: e.Data})
	}
	return out, nil
}
