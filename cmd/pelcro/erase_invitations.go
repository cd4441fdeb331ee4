package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/commands"
	membershipprojection "github.com/pelcro-oss/pelcro-api/projections/membership"
)

// eraseInvitations erases the addresses the erased customer was invited at to a membership's seat (their
// claimed seats, and the seats invited at one of addresses nobody else holds on the site): each is sealed in
// the owner's subscription stream under a key of its seat alone, which is shredded, then marked erased on
// that stream (subscription.member_invitation_erased, so every process and every rebuild forgets it), and
// blanked in the seats read model at once. An invitation sealed the older way, under the subscription's own
// key, cannot be erased apart from the owner's data: it is marked and blanked alike, and logged, for the
// operator to decide (docs/memberships.md, "Personal data").
func eraseInvitations(ctx context.Context, deps *dependencies, tx *sqlx.Tx, site, customerID int64, addresses []string) error {
	seats, err := membershipprojection.InvitationsOf(ctx, tx, site, customerID, addresses)
	if err != nil {
		return err
	}
	subscriptions := commands.Subscriptions{Store: deps.EventStore}
	var errs []error
	for _, seat := range seats {
		env := commands.Envelope{CommandID: fmt.Sprint("erase-invitation-", seat.SubscriptionID, "-", seat.MemberID),
			Actor: eraseActor}
		erased, err := subscriptions.EraseInvitation(ctx, env, deps.Sealing, seat.SubscriptionID, seat.MemberID)
		switch {
		case err != nil:
			errs = append(errs, fmt.Errorf("erase the invitation of seat %d of subscription %d: %w",
				seat.MemberID, seat.SubscriptionID, err))
		case !erased:
			slog.WarnContext(ctx, "an invitation of the erased customer is sealed under its owner's subscription key: "+
				"its address stays in the event log until the owner's erasure (see docs/memberships.md)",
				"customer_id", customerID, "subscription_id", seat.SubscriptionID, "member_id", seat.MemberID)
		}
	}
	return errors.Join(append(errs, membershipprojection.ForgetSeats(ctx, tx, seats))...)
}
