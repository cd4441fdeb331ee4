package transport

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	subscriptionprojection "github.com/pelcro-oss/pelcro-api/projections/subscription"
)

// autoRenewDuringAGiftsTermIsTheSubscriptionsOwn: a gift redeemed onto a renewing subscription runs the
// gift's plan for its term, which does not renew; the Customer resource shows the gift's plan for the
// period, and auto_renew still says that the subscription renews by itself on its own plan afterwards.
func autoRenewDuringAGiftsTermIsTheSubscriptionsOwn(t *testing.T, w *subscriptionWorld) {
	token, _ := w.register(t, "ann20@example.com", "a-long-password")
	// given Ann's renewing subscription, in the term of a gift of a plan that does not renew
	id := w.subscribe(t, token).Data.Subscriptions[0].ID
	givenAGiftsTermRunning(t, w, id, subscription.Terms{PlanID: 4052, ProductID: 10, Currency: "usd",
		Interval: "month", IntervalCount: 1})
	// when she reads her Customer resource
	rec := w.post("/customer", token, "", "")
	got := decodeBody[subscribed](t, rec)
	if rec.Code != http.StatusOK || len(got.Data.Subscriptions) != 1 {
		t.Fatalf("customer: %d %s", rec.Code, rec.Body)
	}
	// then the period is the gift's, and the subscription renews on its own plan after it
	s := got.Data.Subscriptions[0]
	var plan struct {
		ID int64 `json:"id"`
	}
	if err := json.Unmarshal(s.Plan, &plan); err != nil || !s.AutoRenew || s.Quantity != 2 || plan.ID != 4052 {
		t.Errorf("subscription: auto_renew %v, quantity %d, plan %s; want true, the gift's 2 of 4052", s.AutoRenew,
			s.Quantity, s.Plan)
	}
}

// givenAGiftsTermRunning records on subscription id a gift's term of terms (quantity 2) added and started
// at the end of its period, as a redemption and the billing clock would, and waits for the read model.
func givenAGiftsTermRunning(t *testing.T, w *subscriptionWorld, id int64, terms subscription.Terms) {
	t.Helper()
	written, err := commands.Handle(t.Context(), w.store, commands.SubscriptionAggregate, strconv.FormatInt(id, 10),
		commands.Envelope{CommandID: fmt.Sprint("gift-term-", id)},
		func(s subscription.State) ([]subscription.Event, error) {
			coupon := subscription.GiftCoupon
			gift := subscription.Phase{Terms: terms, Quantity: 2, Coupon: &coupon, AddressID: s.AddressID, Gift: true,
				GiftOf: id + 1000}
			return []subscription.Event{
				subscription.PhaseAdded{SubscriptionID: id, Phase: gift, AddedAt: s.PeriodStart},
				subscription.PeriodStarted{SubscriptionID: id, Cycle: 2, Phase: gift, FromPhase: true,
					PeriodStart: s.PeriodEnd, PeriodEnd: terms.PeriodEnd(s.PeriodEnd), StartedAt: s.PeriodEnd},
			}, nil
		})
	if err == nil {
		err = w.runner.WaitFor(t.Context(), written.Position, subscriptionprojection.Name)
	}
	if err != nil {
		t.Fatal(err)
	}
}
