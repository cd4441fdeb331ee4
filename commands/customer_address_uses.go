package commands

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"maps"
	"slices"
	"time"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// ErrMoveWithTaxes: subscriptions cannot move onto another address while the site charges taxes (spec
// #47), since a move would change where they are taxed without pricing them again.
var ErrMoveWithTaxes = errors.New("commands: subscriptions cannot move to another address while taxes are enabled")

// The address rules that involve subscriptions (spec #47) decide on the customer's stream, which records
// the subscriptions that took each address (customer.AddressAttached), and on the subscriptions' own
// streams, read here, never on a read model alone: a subscription sold a moment ago may not be projected
// yet. The subscriptions read model (Customers.SubscriptionsOf) adds those sold before attachments were
// recorded, which it has long projected, and, for a move, those without an address (a move of one sold a
// moment before, not yet projected, misses it: it keeps having no address).

// subscriptionsOf are the ids of the subscriptions the customer's stream attached to an address, and those
// the read model lists, once each.
func (c Customers) subscriptionsOf(ctx context.Context, s customer.State) ([]int64, error) {
	var ids []int64
	if c.SubscriptionsOf != nil {
		listed, err := c.SubscriptionsOf(ctx, s.ID)
		if err != nil {
			return nil, fmt.Errorf("commands: subscriptions of customer %d: %w", s.ID, err)
		}
		ids = listed
	}
	for _, a := range s.Attachments {
		ids = append(ids, a.SubscriptionID)
	}
	slices.Sort(ids)
	return slices.Compact(ids), nil
}

// subscriptionsAt reads the customer's subscriptions (subscriptionsOf) from their streams, by id, their
// tails in one round trip (withTailsRead); another customer's, or one never recorded, is left out.
func (c Customers) subscriptionsAt(ctx context.Context, s customer.State) (map[int64]subscription.State, error) {
	ids, err := c.subscriptionsOf(ctx, s)
	if err != nil {
		return nil, err
	}
	streams := make([]string, len(ids))
	for i, id := range ids {
		streams[i] = subscriptionStream(id)
	}
	tails := withTailsRead(ctx, c.Store, streams...)
	out := map[int64]subscription.State{}
	for i, id := range ids {
		h, err := load(tails, c.Store, SubscriptionAggregate, streams[i], "")
		if err != nil {
			return nil, err
		}
		if h.state.BelongsTo(s.ID, s.AccountID) {
			out[id] = h.state
		}
	}
	return out, nil
}

// decideAddressUpdate is the decision of UpdateAddress on the customer s at now, with the moves it attaches.
// The customer's subscriptions are read, once, only when the change touches the address's country or state
// (addressInUse) or moves subscriptions (moves).
func (c Customers) decideAddressUpdate(ctx context.Context, s customer.State, in AddressUpdate, now time.Time) ([]customer.Event, []customer.Move, error) {
	change := customer.AddressChange{AddressID: in.AddressID, Changes: in.Changes, RequirePostalCode: in.RequirePostalCode}
	old, ok := s.Address(in.AddressID)
	updated := customer.NormaliseAddress(in.Changes.ApplyTo(old))
	placeChanges := ok && (updated.Country != old.Country || updated.State != old.State)
	if s.Exists() && (placeChanges || in.MoveSubscriptions) {
		if in.MoveSubscriptions {
			if err := c.movesAllowed(ctx, in.Target); err != nil {
				return nil, nil, err
			}
		}
		subscriptions, err := c.subscriptionsAt(ctx, s)
		if err != nil {
			return nil, nil, err
		}
		change.InUse = placeChanges && addressInUse(s, subscriptions, in.AddressID, now)
		if in.MoveSubscriptions {
			if change.Moves, err = c.moves(ctx, subscriptions, in.AddressID); err != nil {
				return nil, nil, err
			}
		}
	}
	events, err := customer.UpdateAddress(s, change, now)
	return events, change.Moves, err
}

// addressInUse reports whether one of the customer's subscriptions may use the address at now: one that
// uses it (subscription.State.UsesAddress), or one attached to it a moment ago (customer.Attachment.Recent:
// its command may still be recording it) that has not ended for good.
func addressInUse(s customer.State, subscriptions map[int64]subscription.State, addressID int64, now time.Time) bool {
	for _, a := range s.AttachedTo(addressID) {
		if a.Recent(now) && !subscriptions[a.SubscriptionID].Finished() {
			return true
		}
	}
	for _, sub := range subscriptions {
		if sub.UsesAddress(addressID) {
			return true
		}
	}
	return false
}

// movesAllowed refuses moving subscriptions onto an address while the site charges taxes (ErrMoveWithTaxes).
func (c Customers) movesAllowed(ctx context.Context, who Target) error {
	if c.Catalog == nil {
		return errors.New("commands: moving subscriptions onto an address needs Customers.Catalog")
	}
	taxes, err := c.Catalog.Taxes(ctx, who.SiteID, "", "")
	if err != nil || taxes.Enabled {
		return cmp.Or(err, ErrMoveWithTaxes)
	}
	return nil
}

// moves are the subscriptions that have not ended and are not wholly on the address yet, to move onto it,
// with the countries their plans are sold in: the current one's, the scheduled phases' and an awaited
// purchase's.
func (c Customers) moves(ctx context.Context, subscriptions map[int64]subscription.State, addressID int64) ([]customer.Move, error) {
	var moves []customer.Move
	for _, id := range slices.Sorted(maps.Keys(subscriptions)) {
		sub := subscriptions[id]
		if sub.Ended() || sub.OnlyAt(addressID) {
			continue
		}
		move := customer.Move{SubscriptionID: sub.ID}
		for _, planID := range sub.PlanIDs() {
			plan, err := c.Catalog.Plan(ctx, sub.SiteID, planID)
			switch {
			case errors.Is(err, ErrPlanNotFound): // a plan the catalog dropped restricts nothing any more
			case err != nil:
				return nil, err
			default:
				move.SoldIn = append(move.SoldIn, plan.Countries)
			}
		}
		moves = append(moves, move)
	}
	return moves, nil
}

// moveSubscriptions moves each subscription onto the address (subscription.ChangeAddress), once the
// customer's stream attached them to it, and returns where the last one written stands (the zero Result
// when none moved).
func (c Customers) moveSubscriptions(ctx context.Context, env Envelope, addressID int64, moves []customer.Move) (Result, error) {
	at := c.now()
	var last Result
	for _, m := range moves {
		done, err := handleState(ctx, c.Store, SubscriptionAggregate, fmt.Sprint(m.SubscriptionID),
			env.derived(fmt.Sprint("move-", m.SubscriptionID)), nil,
			func(s subscription.State) ([]subscription.Event, error) {
				return subscription.ChangeAddress(s, addressID, at)
			})
		if err != nil {
			return last, fmt.Errorf("commands: move subscription %d onto address %d: %w", m.SubscriptionID, addressID, err)
		}
		if done.Position.Compare(last.Position) > 0 {
			last = done.Result
		}
	}
	return last, nil
}

// landedMoves are the moves of an address update whose events had landed before (a retry after the
// customer's append): the subscriptions its own events, the ones ending at revision, attached.
func (c Customers) landedMoves(ctx context.Context, env Envelope, customerID int64, revision uint64) ([]customer.Move, error) {
	stream := customerStream(customerID)
	recorded, err := c.Store.ReadStream(ctx, stream, eventstore.Backwards, eventstore.StreamRevision(revision), readPageSize)
	if err != nil {
		return nil, err
	}
	own := map[uuid.UUID]bool{}
	for i := range recorded {
		own[EventID(stream, env.CommandID, i)] = true
	}
	var moves []customer.Move
	for _, r := range recorded {
		if !own[r.ID] {
			break
		}
		e, err := decode[customer.Event](CustomerAggregate.Registry, r)
		if err != nil {
			return nil, err
		}
		if a, ok := e.(customer.AddressAttached); ok {
			moves = append(moves, customer.Move{SubscriptionID: a.SubscriptionID})
		}
	}
	return moves, nil
}
