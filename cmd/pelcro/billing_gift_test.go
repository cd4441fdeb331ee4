package main

import (
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
)

func TestBillingRunBillsTheOwnTermsAfterAGiftsTerm(t *testing.T) {
	t.Parallel()
	start := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	month := func(n int) time.Time { return start.AddDate(0, n, 0) }
	terms := subscription.Terms{PlanID: 4051, Amount: 1000, Currency: "usd", Interval: "month", IntervalCount: 1, AutoRenew: true}
	free := subscription.GiftCoupon
	gift := subscription.Phase{Terms: terms, Quantity: 1, Coupon: &free, PaidBy: 900, Gift: true, GiftOf: 30}
	cases := []struct {
		name string
		// history is what the subscription recorded after its gift's phase was added
		history []subscription.Event
		until   time.Time
		// then the lines the run prints start so (the summary follows), the last charge ending charged
		want    []string
		charged string
	}{
		{name: "the gift's month is free, the month after it is charged", until: month(2).Add(time.Hour),
			want: []string{"2026-06-01T12:00:00Z subscription 31 renew: renewed",
				"2026-07-01T12:00:00Z subscription 31 renew: renewed invoice ",
				"2026-07-01T12:00:00Z subscription 31 charge: paid invoice "}, charged: "(1000 usd)"},
		{name: "a stream recorded before the fix, with a free renewal of the gift, is charged from now on",
			history: []subscription.Event{
				subscription.PeriodStarted{SubscriptionID: 31, Cycle: 2, Phase: gift, FromPhase: true,
					PeriodStart: month(1), PeriodEnd: month(2), StartedAt: month(1)},
				subscription.PeriodStarted{SubscriptionID: 31, Cycle: 3, Phase: subscription.Phase{Terms: terms,
					Quantity: 1, Coupon: &free}, PeriodStart: month(2), PeriodEnd: month(3), InvoiceID: 990,
					StartedAt: month(2)},
				subscription.PaymentSucceeded{SubscriptionID: 31, InvoiceID: 990, PaidAt: month(2)}},
			until: month(3).Add(time.Hour),
			want: []string{"2026-08-01T12:00:00Z subscription 31 renew: renewed invoice ",
				"2026-08-01T12:00:00Z subscription 31 charge: paid invoice "}, charged: "(1000 usd)"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a customer's own monthly subscription onto which a gift's month was redeemed
			cfg, deps, annID := withCustomer(t)
			wallets, _, _ := paymentCommands(deps, paymentGateways(cfg, deps, slog.New(slog.DiscardHandler)))
			card, err := wallets.Save(t.Context(), commands.Envelope{CommandID: uuid.NewString()}, commands.NewPaymentMethod{
				Target: commands.Target{CustomerID: annID, AccountID: 1, SiteID: 1232}, Token: "tok_visa"})
			if err != nil {
				t.Fatal(err)
			}
			_, err = commands.Handle(t.Context(), deps.EventStore, commands.SubscriptionAggregate, "31",
				commands.Envelope{CommandID: uuid.NewString()}, func(s subscription.State) ([]subscription.Event, error) {
					created, err := subscription.Create(s, subscription.New{SubscriptionID: 31, CustomerID: annID,
						AccountID: 1, SiteID: 1232, Terms: terms, Quantity: 1, Payment: subscription.Payment{
							SourceID: card.PaymentMethodID, Gateway: "stripe"}, PeriodAmount: 1000, Paid: true}, start)
					added := subscription.PhaseAdded{SubscriptionID: 31, Phase: gift, AddedAt: start}
					return append(append(created, added), tc.history...), err
				})
			if err != nil {
				t.Fatal(err)
			}
			// when the billing clock runs over the gift's month and the month after it
			out, _, err := runPelcro(t, "--database-url", cfg.DatabaseURL, "--eventstore-url", "", "billing", "run",
				"--until", tc.until.Format(time.RFC3339))
			if err != nil {
				t.Fatalf("billing run: %v\n%s", err, out)
			}
			// then the month after the gift is invoiced and charged at the plan's price
			lines := strings.Split(strings.TrimSpace(out), "\n")
			if len(lines) != len(tc.want)+1 {
				t.Fatalf("billing run printed:\n%s", out)
			}
			for i, want := range tc.want {
				if !strings.HasPrefix(lines[i], want) {
					t.Errorf("line %d is %q, want it to start with %q", i, lines[i], want)
				}
			}
			if charge := lines[len(lines)-2]; !strings.HasSuffix(charge, tc.charged) {
				t.Errorf("the charge after the gift is %q, want %s", charge, tc.charged)
			}
		})
	}
}
