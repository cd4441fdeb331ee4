package deadline

import (
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

func TestARowRenewsASubscriptionAfterAGiftsTermOfAPlanThatDoesNotRenew(t *testing.T) {
	t.Parallel()
	// given a regular monthly subscription onto which a gift of a plan that does not renew was redeemed, and
	// whose cancellation during the gift's month was undone
	monthly := subscription.Terms{PlanID: 1, Amount: 1000, Currency: "usd", Interval: "month", IntervalCount: 1,
		AutoRenew: true}
	gift := subscription.GiftCoupon
	oneOff := subscription.Phase{Terms: monthly, Quantity: 1, Coupon: &gift, Gift: true}
	oneOff.Terms.AutoRenew = false
	t2 := t1.AddDate(0, 1, 0)
	events := []subscription.Event{
		subscription.Created{SubscriptionID: 9, Type: subscription.TypeRegular, Status: subscription.StatusActive,
			Terms: monthly, Quantity: 1, Billing: subscription.BillingChargeAutomatically, PeriodStart: t0,
			PeriodEnd: t1, CreatedAt: t0},
		subscription.PhaseAdded{SubscriptionID: 9, Phase: oneOff, AddedAt: t0},
		subscription.PeriodStarted{SubscriptionID: 9, Cycle: 2, Phase: oneOff, FromPhase: true, PeriodStart: t1,
			PeriodEnd: t2, StartedAt: t1},
		subscription.CancellationScheduled{SubscriptionID: 9, Mode: subscription.CancelAtLastPeriodEnd,
			CancelAt: t2, ScheduledAt: t1},
		subscription.Reactivated{SubscriptionID: 9, ReactivatedAt: t1},
	}
	// when the projection folds them, each into the state its row kept
	var kept subscription.State
	var row deadlineRow
	for _, e := range events {
		kept = subscription.Evolve(kept, e)
		var err error
		if row, err = deadlineOf(9, kept); err != nil {
			t.Fatal(err)
		}
		if kept, err = decodeDueState(9, row.state); err != nil {
			t.Fatal(err)
		}
	}
	// then the row says the subscription renews when the gift's month ends, on its own plan
	if row.kind.String != string(subscription.DueRenew) || row.dueAt.String != t2.Format(time.RFC3339Nano) {
		t.Errorf("the row is due for %q at %s, want renew at %s", row.kind.String, row.dueAt.String, t2)
	}
}
