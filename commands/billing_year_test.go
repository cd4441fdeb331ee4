package commands_test

import (
	"os"
	"strconv"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// yearSubscriptions is how many subscriptions TestAYearOfBilling simulates: 100 in the suite, more with
// PELCRO_BILLING_YEAR_SUBSCRIPTIONS (make billing-year runs 1,000: 62 s on a quiet machine, minutes on a
// loaded one, too long for the suite; the two defects it once showed are described in docs/benchmarks.md).
func yearSubscriptions(t *testing.T) int {
	t.Helper()
	n := 100
	if raw := os.Getenv("PELCRO_BILLING_YEAR_SUBSCRIPTIONS"); raw != "" {
		var err error
		if n, err = strconv.Atoi(raw); err != nil || n < 1 {
			t.Fatalf("PELCRO_BILLING_YEAR_SUBSCRIPTIONS=%q: want a positive count", raw)
		}
	}
	return n
}

// yearPlan is one simulated subscription: when it starts, its terms, whether its card declines every
// charge and whether the customer set it to cancel at the end of its first period.
type yearPlan struct {
	start    time.Time
	terms    subscription.Terms
	failing  bool
	canceled bool
}

// expected is what a subscription should look like after the year, computed from its plan alone.
type expected struct {
	status subscription.Status
	// invoices are the renewal invoices by period start (RFC 3339), with their status and total.
	invoices map[string]string
	charges  int
}

// expect walks the plan's periods with calendar months and years (docs/subscriptions.md) up to until.
func (p yearPlan) expect(until time.Time) expected {
	next := func(t time.Time) time.Time {
		if p.terms.Interval == "year" {
			return t.AddDate(1, 0, 0)
		}
		return t.AddDate(0, 1, 0)
	}
	e := expected{status: subscription.StatusActive, invoices: map[string]string{}}
	end := next(p.start)
	switch {
	case end.After(until):
	case p.canceled:
		e.status = subscription.StatusCanceled
	case p.failing:
		e.status, e.invoices[end.Format(time.RFC3339)] = subscription.StatusPastDue, "open "+strconv.FormatInt(p.terms.Amount, 10)
		if !end.AddDate(0, 0, 7).After(until) {
			e.status, e.invoices[end.Format(time.RFC3339)] = subscription.StatusCanceled, "uncollectible "+strconv.FormatInt(p.terms.Amount, 10)
		}
	default:
		for ; !end.After(until); end = next(end) {
			e.invoices[end.Format(time.RFC3339)] = "paid " + strconv.FormatInt(p.terms.Amount, 10)
			e.charges++
		}
	}
	return e
}

// yearPlans mixes monthly and yearly plans, declining cards and cancellations, starting over January.
func yearPlans(n int) []yearPlan {
	yearly := monthlyTerms
	yearly.PlanID, yearly.Amount, yearly.Interval = 4053, 10000, "year"
	plans := make([]yearPlan, n)
	for i := range plans {
		p := yearPlan{start: time.Date(2026, 1, 1+i%28, i%24, 0, 0, 0, time.UTC), terms: monthlyTerms,
			failing: i%10 == 3, canceled: i%9 == 5}
		if i%4 == 0 {
			p.terms = yearly
		}
		plans[i] = p
	}
	return plans
}

func TestAYearOfBilling(t *testing.T) {
	t.Parallel()
	w := newBillingWorld(t)
	payer := w.register(t, "ann@example.com", "ann")
	decliner := w.register(t, "bob@example.com", "bob")
	good, bad := w.saveCard(t, payer, "tok_visa"), w.saveCard(t, decliner, "tok_chargeCustomerFail")
	plans := yearPlans(yearSubscriptions(t))
	ids := make([]int64, len(plans))
	for i, p := range plans {
		customer, card := payer, good
		if p.failing {
			customer, card = decliner, bad
		}
		ids[i] = w.subscribe(t, customer, card, p.terms, p.start)
		if p.canceled {
			w.decide(t, ids[i], func(s subscription.State) ([]subscription.Event, error) {
				return subscription.CancelSubscription(s, subscription.Cancel{Mode: subscription.CancelAtPeriodEnd}, 0, p.start)
			})
		}
	}
	c := startClock(t, w)
	// when the clock runs at the start of every month of the year
	until := time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC)
	for month := 2; month <= 13; month++ {
		c.run(t, time.Date(2026, time.Month(month), 1, 0, 0, 0, 0, time.UTC), 2)
	}
	// then every subscription, invoice and charge is what the schedule says
	if twice := c.doneTwice(); len(twice) > 0 {
		t.Errorf("done twice: %v", twice)
	}
	var rows []struct {
		SubscriptionID int64     `db:"subscription_id"`
		Start          time.Time `db:"period_start"`
		Status         string    `db:"status"`
		Total          int64     `db:"total"`
	}
	if err := c.db.SelectContext(t.Context(), &rows, `SELECT subscription_id, period_start, status, total FROM invoices`); err != nil {
		t.Fatal(err)
	}
	invoices := map[int64]map[string]string{}
	for _, r := range rows {
		if invoices[r.SubscriptionID] == nil {
			invoices[r.SubscriptionID] = map[string]string{}
		}
		invoices[r.SubscriptionID][r.Start.UTC().Format(time.RFC3339)] = r.Status + " " + strconv.FormatInt(r.Total, 10)
	}
	charges := 0
	for i, p := range plans {
		want := p.expect(until)
		charges += want.charges
		s := w.read(t, ids[i])
		if s.Status != want.status {
			t.Errorf("subscription %d (%+v): status %s, want %s", ids[i], p, s.Status, want.status)
		}
		if got := invoices[ids[i]]; len(got) != len(want.invoices) {
			t.Errorf("subscription %d (%+v): invoices %v, want %v", ids[i], p, got, want.invoices)
		} else {
			for start, status := range want.invoices {
				if got[start] != status {
					t.Errorf("subscription %d: invoice of %s is %q, want %q", ids[i], start, got[start], status)
				}
			}
		}
	}
	if got := w.charges(t); got != charges {
		t.Errorf("%d charges at the gateway, want %d", got, charges)
	}
}
