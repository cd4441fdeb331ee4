package commands

import (
	"context"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// The membership seat commands (spec 2.5 #35–#37). Seats are decided on the subscription's own stream, so
// the append's expected revision serialises invitations: of two concurrent ones, the second is decided again
// against the seats the first took and never goes past the plan's capacity.

// InviteMembers gives the addresses pending seats on the customer's membership subscription (#36).
// Refusals: subscription.ErrNotFound (not the caller's), subscription.ErrNotMembership, ErrEnded, and
// subscription.Problems for the addresses (the owner's own among them) and the capacity.
func (c Subscriptions) InviteMembers(ctx context.Context, env Envelope, who Target, id int64,
	addresses []string) (SubscriptionResult, error) {
	owner, err := c.ownerEmail(ctx, who)
	if err != nil {
		return SubscriptionResult{}, err
	}
	return c.decide(ctx, env, who, id, func(s subscription.State, now time.Time) ([]subscription.Event, error) {
		return subscription.InviteMembers(s, addresses, owner, now)
	})
}

// ownerEmail is the caller's email as their stream tells it, which an invitation may not seat: "" when
// the stream holds no customer of the caller's account (the subscription's ownership is decided apart).
func (c Subscriptions) ownerEmail(ctx context.Context, who Target) (string, error) {
	h, err := load(ctx, c.Store, CustomerAggregate, customerStream(who.CustomerID), "")
	if err != nil || !h.state.Exists() || h.state.AccountID != who.AccountID {
		return "", err
	}
	return h.state.Email, nil
}

// RemoveMember removes a seat of the customer's membership subscription, freeing it (#37). Refusals:
// subscription.ErrNotFound, ErrNotMembership, ErrMemberNotFound.
func (c Subscriptions) RemoveMember(ctx context.Context, env Envelope, who Target, id, memberID int64) (SubscriptionResult, error) {
	return c.decide(ctx, env, who, id, func(s subscription.State, now time.Time) ([]subscription.Event, error) {
		return subscription.RemoveMember(s, memberID, now)
	})
}

// ClaimSeat activates the pending seat of subscription id invited at email for the customer who just
// registered, logged in or verified that address. Nothing to claim is a no-op (subscription.ActivateMember).
func (c Subscriptions) ClaimSeat(ctx context.Context, env Envelope, id int64, email string, customerID int64) (SubscriptionResult, error) {
	return c.handle(ctx, env, id, func(s subscription.State, now time.Time) ([]subscription.Event, error) {
		return subscription.ActivateMember(s, email, customerID, now)
	})
}
