package operator

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/projections"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// ErrNotYet is CustomerAsOf's answer when the customer did not exist at that instant (not registered yet,
// or erased already).
var ErrNotYet = errors.New("operator: the customer did not exist at that instant")

// Instant is a moment of the log: every event written at or before Time, or, when Position is set, every
// event at or before that position.
type Instant struct {
	Time     time.Time
	Position *eventstore.Position
}

// includes reports whether ev belongs to the log as it was at the instant.
func (in Instant) includes(ev eventstore.RecordedEvent) bool {
	if in.Position != nil {
		return ev.Position.Compare(*in.Position) <= 0
	}
	return !ev.Created.After(in.Time)
}

// String spells the instant as the CLI takes it.
func (in Instant) String() string {
	if in.Position != nil {
		return "position " + in.Position.String()
	}
	return in.Time.UTC().Format(time.RFC3339Nano)
}

// ParsePosition reads a position as Entry.At and the CLI spell it, "commit/prepare".
func ParsePosition(s string) (eventstore.Position, error) {
	commit, prepare, ok := strings.Cut(s, "/")
	c, err1 := strconv.ParseUint(commit, 10, 64)
	p, err2 := strconv.ParseUint(prepare, 10, 64)
	if !ok || err1 != nil || err2 != nil {
		return eventstore.Position{}, fmt.Errorf("operator: position %q: want COMMIT/PREPARE as events print it", s)
	}
	return eventstore.Position{Commit: c, Prepare: p}, nil
}

// CustomerAsOf returns the Customer resource as it was at the instant. It reads the customer's streams (the
// customer_streams index), keeps the events up to the instant, applies them in log order with the apply funcs
// of every rebuildable projection that handles them into temporary copies of those projections' tables, and
// reads the resource from them with the query the API uses (queries.CustomerIn). The live tables are never
// written: the temporary ones shadow them inside one transaction that is rolled back.
func (o *Operator) CustomerAsOf(ctx context.Context, customerID int64, at Instant) (queries.Customer, error) {
	history, err := o.history(ctx, customerID)
	if err != nil {
		return queries.Customer{}, err
	}
	tx, err := o.DB.BeginTxx(ctx, nil)
	if err != nil {
		return queries.Customer{}, fmt.Errorf("operator: as of: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	var until []eventstore.RecordedEvent
	for _, ev := range history {
		if at.includes(ev) {
			until = append(until, ev)
		}
	}
	if err := o.fold(ctx, tx, history, until); err != nil {
		return queries.Customer{}, err
	}
	c, err := queries.CustomerIn(ctx, tx, customerID)
	if errors.Is(err, queries.ErrNotFound) {
		return c, fmt.Errorf("%w: customer %d at %s", ErrNotYet, customerID, at)
	}
	return c, err
}

// history reads the customer's streams whole, and the streams of the memberships they ever held a seat
// of, and returns their events in log order. A member's seats are decided on the owner's subscription stream,
// which the customer_streams index gives the owner alone; the seats read model keeps the member of a seat for
// good (a removal or an erasure keeps the row), so it names every such stream the member's past may need.
func (o *Operator) history(ctx context.Context, customerID int64) ([]eventstore.RecordedEvent, error) {
	var streams []string
	if err := o.DB.SelectContext(ctx, &streams, `SELECT stream FROM customer_streams WHERE customer_id = $1`, customerID); err != nil {
		return nil, fmt.Errorf("operator: streams of customer %d: %w", customerID, err)
	}
	if len(streams) == 0 {
		return nil, fmt.Errorf("%w: %d", ErrUnknownCustomer, customerID)
	}
	seats, err := o.seatStreams(ctx, customerID)
	if err != nil {
		return nil, err
	}
	for _, s := range seats {
		if !slices.Contains(streams, s) {
			streams = append(streams, s)
		}
	}
	var kept []eventstore.RecordedEvent
	for _, stream := range streams {
		for from := uint64(0); ; {
			events, err := o.Store.ReadStream(ctx, stream, eventstore.Forwards, eventstore.StreamRevision(from), streamPage)
			if errors.Is(err, eventstore.ErrStreamNotFound) {
				break
			}
			if err != nil {
				return nil, fmt.Errorf("operator: read %s: %w", stream, err)
			}
			kept = append(kept, events...)
			if len(events) < streamPage {
				break
			}
			from = events[len(events)-1].Revision + 1
		}
	}
	slices.SortFunc(kept, func(a, b eventstore.RecordedEvent) int { return a.Position.Compare(b.Position) })
	return kept, nil
}

// seatStreams names the subscription streams of the seats the customer claimed (membership_seats).
func (o *Operator) seatStreams(ctx context.Context, customerID int64) ([]string, error) {
	var streams []string
	err := o.DB.SelectContext(ctx, &streams, `SELECT DISTINCT 'subscription-' || subscription_id FROM membership_seats
		WHERE member_customer_id = $1`, customerID)
	if err != nil {
		return nil, fmt.Errorf("operator: seats of customer %d: %w", customerID, err)
	}
	return streams, nil
}

// streamPage is how many events one stream read returns while folding a history.
const streamPage = 1000

// fold applies events (a prefix of history), in order, to temporary copies of the tables of every rebuildable
// projection that handles any event of history: those tables must be shadowed even while still empty at the
// instant, or the live rows would show through. Projections that must never be replayed (the mail outbox) are
// left out.
func (o *Operator) fold(ctx context.Context, tx *sqlx.Tx, history, events []eventstore.RecordedEvent) error {
	var live string
	if err := tx.GetContext(ctx, &live, `SELECT current_schema()`); err != nil {
		return fmt.Errorf("operator: as of: %w", err)
	}
	var folds []*projections.Fold
	for _, p := range o.Projections {
		if p.NoRebuild != "" {
			continue
		}
		f, err := projections.NewFold(o.Registry, p)
		if err != nil {
			return err
		}
		handles, err := handlesAny(f, history)
		if err != nil || !handles {
			continue // an event this projection cannot decode is the running projection's problem, not ours
		}
		for _, t := range p.Tables {
			if _, err := tx.ExecContext(ctx, `CREATE TEMP TABLE `+pq.QuoteIdentifier(t)+` (LIKE `+
				pq.QuoteIdentifier(live)+`.`+pq.QuoteIdentifier(t)+` INCLUDING ALL) ON COMMIT DROP`); err != nil {
				return fmt.Errorf("operator: as of: copy %s: %w", t, err)
			}
		}
		folds = append(folds, f)
	}
	for _, ev := range events {
		for _, f := range folds {
			if err := f.Apply(ctx, tx, ev); err != nil {
				return fmt.Errorf("operator: as of: %w", err)
			}
		}
	}
	return nil
}

func handlesAny(f *projections.Fold, events []eventstore.RecordedEvent) (bool, error) {
	for _, ev := range events {
		if ok, err := f.Handles(ev); ok || err != nil {
			return ok, err
		}
	}
	return false, nil
}
