package main

import (
	"log/slog"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
)

func TestBillingRunRenewsWhatIsDue(t *testing.T) {
	t.Parallel()
	// given a customer subscribed to a monthly plan with a saved tok_visa card
	cfg, deps, annID := withCustomer(t)
	wallets, _, _ := paymentCommands(deps, paymentGateways(cfg, deps, slog.New(slog.DiscardHandler)))
	card, err := wallets.Save(t.Context(), commands.Envelope{CommandID: uuid.NewString()}, commands.NewPaymentMethod{
		Target: commands.Target{CustomerID: annID, AccountID: 1, SiteID: 1232}, Token: "tok_visa"})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)
	terms := subscription.Terms{PlanID: 4051, Amount: 1000, Currency: "usd", Interval: "month", IntervalCount: 1, AutoRenew: true}
	_, err = commands.Handle(t.Context(), deps.EventStore, commands.SubscriptionAggregate, "31",
		commands.Envelope{CommandID: uuid.NewString()}, func(s subscription.State) ([]subscription.Event, error) {
			return subscription.Create(s, subscription.New{SubscriptionID: 31, CustomerID: annID, AccountID: 1,
				SiteID: 1232, Terms: terms, Quantity: 1, Payment: subscription.Payment{SourceID: card.PaymentMethodID,
					Gateway: "stripe"}, PeriodAmount: 1000, Paid: true}, start)
		})
	if err != nil {
		t.Fatal(err)
	}
	pelcro := func(args ...string) (string, error) {
		out, _, err := runPelcro(t, append([]string{"--database-url", cfg.DatabaseURL, "--eventstore-url", "", "billing", "run"}, args...)...)
		return out, err
	}
	// when the clock runs until a month later
	out, err := pelcro("--until", "2026-06-02T00:00:00Z")
	if err != nil {
		t.Fatalf("billing run: %v\n%s", err, out)
	}
	// then it renewed the subscription and charged its invoice, one line each, and summed it up
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if len(lines) != 3 || !strings.HasPrefix(lines[0], "2026-06-01T12:00:00Z subscription 31 renew: renewed invoice ") ||
		!strings.Contains(lines[1], "subscription 31 charge: paid invoice ") || !strings.HasSuffix(lines[1], "(1000 usd)") ||
		lines[2] != "billed until 2026-06-02T00:00:00Z: 2 item(s) on 1 subscription(s) (paid 1, renewed 1)" {
		t.Fatalf("billing run printed:\n%s", out)
	}
	invoiceID, err := strconv.ParseInt(strings.TrimPrefix(lines[0], "2026-06-01T12:00:00Z subscription 31 renew: renewed invoice "), 10, 64)
	if err != nil {
		t.Fatal(err)
	}
	_, _, invoices := paymentCommands(deps, nil)
	if bill, err := invoices.Read(t.Context(), invoiceID); err != nil || bill.Status != "paid" || bill.Total != 1000 {
		t.Errorf("invoice %d = %+v, %v; want paid 1000", invoiceID, bill, err)
	}
	// and a second run for the same instant does nothing
	if out, err := pelcro("--until", "2026-06-02T00:00:00Z"); err != nil ||
		strings.TrimSpace(out) != "billed until 2026-06-02T00:00:00Z: 0 item(s) on 0 subscription(s)" {
		t.Errorf("second run = %q, %v; want nothing done", out, err)
	}
	// and an instant that is not RFC 3339 is refused in one line
	if _, err := pelcro("--until", "next month"); err == nil || !strings.Contains(err.Error(), "--until") {
		t.Errorf("billing run --until 'next month' = %v, want an error about --until", err)
	}
}
