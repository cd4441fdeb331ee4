package mail

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/internal/mail"
	"github.com/pelcro-oss/pelcro-api/projections"
)

func TestInvitationQueuesAMailInTheSitesLanguage(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		email  string
		queued int
	}{
		{"the invitee is told where to claim the seat", "ann@example.com", 1},
		{"an invitation whose owner was erased since mails nobody", "", 0},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a German site, when the invitation is projected twice (a redelivery)
			e := projections.Event[subscription.MemberInvited]{
				Envelope: projections.Envelope{ID: uuid.New(), Stream: "subscription-9", Revision: 3},
				Data: subscription.MemberInvited{SubscriptionID: 9, MemberID: 1, OwnerID: 42, SiteID: 7, Email: tc.email,
					InvitedAt: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)}}
			queued := queuedTwice(t, 7, "Die Zeitung", "https://zeitung.example.com/", "de",
				func(ctx context.Context, tx *sqlx.Tx) error { return queueInvitation(ctx, tx, e) })
			// then the outbox holds it once, the owner's, to the invitee, in German with the site's link
			if len(queued) != tc.queued {
				t.Fatalf("%d messages queued, want %d", len(queued), tc.queued)
			}
			if tc.queued == 0 {
				return
			}
			m := queued[0]
			if m.Recipient != tc.email || m.Kind != mail.KindMembership || m.CustomerID != 42 ||
				m.Subject != "Sie sind zu einer Mitgliedschaft bei Die Zeitung eingeladen" ||
				!strings.Contains(m.Body, "https://zeitung.example.com/") {
				t.Errorf("message %+v", m.Message)
			}
		})
	}
}
