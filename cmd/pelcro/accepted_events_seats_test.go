package main

import (
	"fmt"

	"pgregory.net/rapid"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
)

// seatRefusals are the answers the seat commands may give instead of writing.
var seatRefusals = append([]error{subscription.ErrNotMembership, subscription.ErrMemberNotFound}, subscriptionRefusals...)

// runSeats invites drawn addresses (a list of them, empty and past the limit among them) to the
// subscriptions held, removes drawn seats, lets drawn customers claim drawn addresses and erases drawn seats'
// invitations (as an invitee's erasure does), so the seats read model stores whatever the seat commands
// accept.
func (w *propertyWorld) runSeats(subscriptions commands.Subscriptions, held []commands.Cancellation) {
	t := w.t
	if len(held) == 0 {
		return
	}
	var invited []string
	for i := range rapid.IntRange(1, 10).Draw(t, "seat steps") {
		env := commands.Envelope{CommandID: fmt.Sprint("seat-", i)}
		c := rapid.SampledFrom(held).Draw(t, "membership")
		var err error
		switch rapid.IntRange(0, 3).Draw(t, "seat action") {
		case 0:
			addresses := rapid.SliceOfN(email(), 0, subscription.MaxInvitations+1).Draw(t, "invitation emails")
			if _, err = subscriptions.InviteMembers(t.Context(), env, c.Target, c.SubscriptionID, addresses); err == nil {
				invited = append(invited, addresses...)
			}
		case 1:
			_, err = subscriptions.RemoveMember(t.Context(), env, c.Target, c.SubscriptionID,
				rapid.Int64Range(-1, 5).Draw(t, "member"))
		case 2:
			_, err = subscriptions.EraseInvitation(t.Context(), env, w.deps.Sealing, c.SubscriptionID,
				rapid.Int64Range(-1, 5).Draw(t, "erased member"))
		default:
			address := rapid.OneOf(email(), rapid.SampledFrom(append([]string{""}, invited...))).Draw(t, "claimed email")
			_, err = subscriptions.ClaimSeat(t.Context(), env, c.SubscriptionID, address,
				rapid.SampledFrom(held).Draw(t, "claimant").CustomerID)
		}
		w.refused("seat command", err, seatRefusals...)
	}
}
