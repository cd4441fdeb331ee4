package subscription_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

func newPaid() subscription.New {
	return subscription.New{SubscriptionID: 1, CustomerID: 42, AccountID: 1, SiteID: 1232, Terms: monthly,
		Quantity: 1, Payment: subscription.Payment{SourceID: 7, Gateway: "stripe"}, InvoiceID: 500,
		PeriodAmount: 1000, Paid: true}
}

func TestCreate(t *testing.T) {
	t.Parallel()
	t.Run("a paid first invoice starts an active subscription for one calendar period", func(t *testing.T) {
		t.Parallel()
		spec.Given().When(func(s subscription.State) ([]subscription.Event, error) {
			return subscription.Create(s, newPaid(), t0)
		}).Then(t, created())
	})
	t.Run("a first invoice waiting for 3-D Secure leaves it incomplete, with only its expiry due", func(t *testing.T) {
		t.Parallel()
		c := newPaid()
		c.Paid = false
		want := created()
		want.Status = subscription.StatusIncomplete
		spec.Given().When(func(s subscription.State) ([]subscription.Event, error) {
			return subscription.Create(s, c, t0)
		}).Then(t, want)
		expiry := subscription.Due{Kind: subscription.DuePaymentExpiry, At: t0.Add(subscription.PaymentDeadline)}
		if due, _ := subscription.Evolve(subscription.State{}, want).Due(); due != expiry {
			t.Errorf("an incomplete subscription is due %+v; want only its payment's expiry, %+v", due, expiry)
		}
	})
	t.Run("a gift makes the customer its donor, with the recipient told on the start day", func(t *testing.T) {
		t.Parallel()
		c := newPaid()
		c.Terms.AutoRenew = false
		c.Gift = subscription.Gift{RecipientEmail: "ann@example.com", RecipientFirstName: "Ann", Message: "Enjoy\nit"}
		c.GiftCode, c.GiftStart = "GIFT-ABCD-EFGH", time.Date(2026, 2, 14, 0, 0, 0, 0, time.UTC)
		want := created()
		want.Type, want.Terms, want.Gift, want.GiftCode, want.GiftStart = subscription.TypeGiftDonor, c.Terms, c.Gift, c.GiftCode, c.GiftStart
		spec.Given().When(func(s subscription.State) ([]subscription.Event, error) {
			return subscription.Create(s, c, t0)
		}).Then(t, want)
		due, ok := subscription.Evolve(subscription.State{}, want).Due()
		if !ok || due != (subscription.Due{Kind: subscription.DueGiftNotice, At: c.GiftStart}) {
			t.Errorf("Due() = %+v, %v; want the gift notice on its start day", due, ok)
		}
	})
	t.Run("a gift without a start day is announced the day it is bought", func(t *testing.T) {
		t.Parallel()
		c := newPaid()
		c.Gift, c.GiftCode = subscription.Gift{RecipientEmail: "ann@example.com"}, "GIFT-ABCD-EFGH"
		events, err := subscription.Create(subscription.State{}, c, t0)
		if err != nil {
			t.Fatal(err)
		}
		if got, want := events[0].(subscription.Created).GiftStart, time.Date(2026, 1, 31, 0, 0, 0, 0, time.UTC); !got.Equal(want) {
			t.Errorf("gift start %v, want %v (the day of creation)", got, want)
		}
	})
	t.Run("a redeemed gift runs one period and is set to cancel at its end", func(t *testing.T) {
		t.Parallel()
		c := newPaid()
		c.GiftOf, c.Payment, c.InvoiceID, c.PeriodAmount = 9, subscription.Payment{}, 0, 0
		want := created()
		want.Type, want.GiftOf, want.Payment, want.InvoiceID, want.PeriodAmount = subscription.TypeGiftRecipient, 9, subscription.Payment{}, 0, 0
		spec.Given().When(func(s subscription.State) ([]subscription.Event, error) {
			return subscription.Create(s, c, t0)
		}).Then(t, want, subscription.CancellationScheduled{SubscriptionID: 1, Mode: subscription.CancelAtPeriodEnd,
			CancelAt: t1, ScheduledAt: t0})
	})
	t.Run("an existing subscription is not created again", func(t *testing.T) {
		t.Parallel()
		spec.Given(created()).When(func(s subscription.State) ([]subscription.Event, error) {
			return subscription.Create(s, newPaid(), t0)
		}).ThenError(t, subscription.ErrAlreadyExists)
	})
}

func TestCreateRefusesBadInput(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name  string
		edit  func(*subscription.New)
		field string
	}{
		{"quantity zero", func(c *subscription.New) { c.Quantity = 0 }, "quantity"},
		{"quantity too large", func(c *subscription.New) { c.Quantity = subscription.MaxQuantity + 1 }, "quantity"},
		{"campaign key with a space", func(c *subscription.New) { c.CampaignKey = "spring sale" }, "campaign_key"},
		{"campaign key too short", func(c *subscription.New) { c.CampaignKey = "ab" }, "campaign_key"},
		{"campaign key with a NUL", func(c *subscription.New) { c.CampaignKey = "ab\x00c" }, "campaign_key"},
		{"domains on a plan that is not a membership", func(c *subscription.New) { c.Domains = []string{"example.edu"} }, "domains"},
		{"ip addresses on a plan that is not a membership", func(c *subscription.New) { c.IPAddresses = []string{"81.2.69.0/24"} },
			"ip_addresses"},
		{"metadata value too long", func(c *subscription.New) { c.Metadata = map[string]string{"k": strings.Repeat("v", 501)} }, "metadata"},
		{"gift to a bad email", func(c *subscription.New) { c.Gift.RecipientEmail = "not an email" }, "gift_recipient_email"},
		{"gift message too long", func(c *subscription.New) {
			c.Gift = subscription.Gift{RecipientEmail: "ann@example.com", Message: strings.Repeat("x", 1001)}
		}, "gift_message"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			c := newPaid()
			tt.edit(&c)
			_, err := subscription.Create(subscription.State{}, c, t0)
			var problems subscription.Problems
			if !errors.As(err, &problems) || !errors.Is(err, subscription.ErrInvalid) {
				t.Fatalf("Create() error = %v, want field problems", err)
			}
			if problems[0].Field != tt.field {
				t.Errorf("first problem on %q, want %q (%v)", problems[0].Field, tt.field, problems)
			}
		})
	}
}
