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

func notified(gift subscription.Gift) projections.Event[subscription.GiftNotified] {
	return projections.Event[subscription.GiftNotified]{
		Envelope: projections.Envelope{ID: uuid.New(), Stream: "subscription-9", Revision: 2},
		Data: subscription.GiftNotified{SubscriptionID: 9, CustomerID: 42, SiteID: 7, GiftCode: "GIFT-ABCD-EFGH",
			Gift: gift, NotifiedAt: time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)},
	}
}

func TestGiftNoticeQueuesTheCodeInTheSitesLanguage(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		gift    subscription.Gift
		queued  int
		subject string
		body    []string
	}{
		{"the recipient gets the code, the donor's message and the site's link",
			subscription.Gift{RecipientEmail: "bea@example.com", RecipientFirstName: "Béa", Message: "Bonne lecture !"}, 1,
			"Vous avez reçu un abonnement cadeau à The Daily",
			[]string{"Bonjour Béa,", "GIFT-ABCD-EFGH", "Bonne lecture !", "https://daily.example.com/"}},
		{"a recipient erased since gets nothing", subscription.Gift{}, 0, "", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a French site, when the gift notice is projected twice (a redelivery)
			e := notified(tc.gift)
			queued := queuedTwice(t, 7, "The Daily", "https://daily.example.com/", "fr",
				func(ctx context.Context, tx *sqlx.Tx) error { return queueGiftNotice(ctx, tx, e) })
			// then the outbox holds the message once
			if len(queued) != tc.queued {
				t.Fatalf("%d messages queued, want %d", len(queued), tc.queued)
			}
			if tc.queued == 0 {
				return
			}
			m := queued[0]
			if m.Recipient != tc.gift.RecipientEmail || m.Subject != tc.subject || m.Kind != mail.KindGift || m.CustomerID != 42 {
				t.Errorf("message to %q, %q, kind %q, customer %d; want to %q, %q", m.Recipient, m.Subject, m.Kind,
					m.CustomerID, tc.gift.RecipientEmail, tc.subject)
			}
			for _, part := range tc.body {
				if !strings.Contains(m.Body, part) {
					t.Errorf("body lacks %q:\n%s", part, m.Body)
				}
			}
		})
	}
}
