package main

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/emails"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/projections"
	customerprojection "github.com/pelcro-oss/pelcro-api/projections/customer"
	membershipprojection "github.com/pelcro-oss/pelcro-api/projections/membership"
	"github.com/pelcro-oss/pelcro-api/queries"
	"github.com/pelcro-oss/pelcro-api/transport"
)

// withMemberships fills in what the membership seat endpoints need (spec #35–#37).
func withMemberships(into *transport.Dependencies, deps *dependencies, runner *projections.Runner) {
	into.MembershipCommands = commands.Subscriptions{Store: deps.EventStore}
	into.MembershipQueries = queries.Customers{DB: deps.ReadModels}
	into.WaitForMemberships = readModelWait(runner, membershipprojection.Name)
}

// seatClaimsName is the checkpoint of the reactor that lets invitees claim their seats. Warning: changing it
// replays every registration, login and verification of history (harmless, a seat is claimed once, but slow).
const seatClaimsName = "seat_claims.v1"

// seatClaimWait bounds how long a claim waits for the customers and seats read models to reach its event;
// past it the event fails and is retried (projections' backoff), so a stopped read model shows as a stopped
// reactor instead of a silent gap.
const seatClaimWait = 30 * time.Second

// seatClaims is the reactor that activates pending seats (spec 2.5 lifecycle, rule 10; docs/memberships.md):
// when a customer registers or signs in on a site, the pending seats of that site at their address (the
// registered one, their current one for a sign-in) are claimed for them, whichever site of the account they
// registered on; when they verify an address, its pending seats on every site of their account. A site that
// verifies emails gives a seat only to a confirmed address (queries.ClaimableSeats). It reads the seats and
// customers read models once both reached the event (waitFor), so an invitation made just before the
// registration is always seen. The command id derives from the event and the seat, so an event delivered
// again claims nothing twice. NoRebuild: it keeps no table.
func seatClaims(store eventstore.Store, waitFor func(context.Context, eventstore.Position) error) projections.Projection {
	subscriptions := commands.Subscriptions{Store: store}
	claim := func(ctx context.Context, tx *sqlx.Tx, e projections.Envelope, by queries.SeatClaim) error {
		waitCtx, cancel := context.WithTimeout(ctx, seatClaimWait)
		defer cancel()
		if err := waitFor(waitCtx, e.Position); err != nil {
			return fmt.Errorf("seat claims of %s: wait for the read models: %w", e.ID, err)
		}
		by.Email = emails.Normalise(by.Email)
		seats, err := queries.ClaimableSeats(ctx, tx, by)
		if err != nil {
			return err
		}
		for _, seat := range seats {
			env := reactorEnvelope(e, "seat-claim:"+e.ID.String()+":"+strconv.FormatInt(seat.SubscriptionID, 10)+":"+
				strconv.FormatInt(seat.MemberID, 10), "system:seat-claims")
			if _, err := subscriptions.ClaimSeat(ctx, env, seat.SubscriptionID, seat.Email, by.CustomerID); err != nil {
				return fmt.Errorf("claim seat %d of subscription %d: %w", seat.MemberID, seat.SubscriptionID, err)
			}
		}
		return nil
	}
	return projections.Projection{
		Name:      seatClaimsName,
		NoRebuild: "it claims seats on subscriptions instead of keeping a table; nothing to rebuild",
		Handlers: []projections.Handler{
			projections.On(func(ctx context.Context, tx *sqlx.Tx, e projections.Event[customer.Registered]) error {
				return claim(ctx, tx, e.Envelope, queries.SeatClaim{CustomerID: e.Data.CustomerID, SiteID: e.Data.SiteID,
					Email: e.Data.Email})
			}),
			projections.On(func(ctx context.Context, tx *sqlx.Tx, e projections.Event[customer.LoggedIn]) error {
				return claim(ctx, tx, e.Envelope, queries.SeatClaim{CustomerID: e.Data.CustomerID, SiteID: e.Data.SiteID})
			}),
			projections.On(func(ctx context.Context, tx *sqlx.Tx, e projections.Event[customer.EmailVerified]) error {
				return claim(ctx, tx, e.Envelope, queries.SeatClaim{CustomerID: e.Data.CustomerID, EverySite: true,
					Email: e.Data.Email, EmailVerified: true})
			}),
		},
	}
}

// seatClaimReadModels are the read models a claim reads, which it waits for.
var seatClaimReadModels = []string{customerprojection.Name, membershipprojection.Name}
