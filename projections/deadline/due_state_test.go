package deadline

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"pgregory.net/rapid"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// TestDueStateFoldsAsTheWholeState holds dueState to its promise: folding each event into the state a row
// keeps (restored from its stored JSON) stores the same row as folding the events into the whole state, and
// a row written with the whole state (before dueState) reads back as the same dueState.
func TestDueStateFoldsAsTheWholeState(t *testing.T) {
	t.Parallel()
	events := projectedEvents()
	rapid.Check(t, func(t *rapid.T) {
		// given any history of the events the projection folds
		history := rapid.SliceOfN(events, 1, 12).Draw(t, "history")
		whole, kept := subscription.State{}, subscription.State{}
		for i, e := range history {
			// when the next event is folded into the whole state and into the state a row kept
			whole = subscription.Evolve(whole, e)
			kept = subscription.Evolve(restoredRow(t, kept), e)
			// then both give the same row: the same stored state and the same due item
			wholeRow, keptRow := rowOf(t, whole), rowOf(t, kept)
			if !reflect.DeepEqual(wholeRow, keptRow) {
				t.Fatalf("after event %d (%T): the whole state's row %s %v %v, the kept state's %s %v %v", i, e,
					wholeRow.state, wholeRow.kind, wholeRow.dueAt, keptRow.state, keptRow.kind, keptRow.dueAt)
			}
			// and a row that stored the whole state reads back as the kept one
			if oldRow := rowOf(t, oldRowRestored(t, whole)); !reflect.DeepEqual(oldRow, wholeRow) {
				t.Fatalf("after event %d (%T): a row of the whole state reads back as %s %v %v, want %s %v %v", i, e,
					oldRow.state, oldRow.kind, oldRow.dueAt, wholeRow.state, wholeRow.kind, wholeRow.dueAt)
			}
		}
	})
}

// rowOf is the row the projection stores for s.
func rowOf(t *rapid.T, s subscription.State) deadlineRow {
	d, err := deadlineOf(9, s)
	if err != nil {
		t.Fatal(err)
	}
	return d
}

// restoredRow is the state the projection folds the next event into after it stored s.
func restoredRow(t *rapid.T, s subscription.State) subscription.State {
	restored, err := decodeDueState(9, rowOf(t, s).state)
	if err != nil {
		t.Fatal(err)
	}
	return restored
}

// oldRowRestored is the state read from a row the projection wrote before dueState: the whole state's JSON.
func oldRowRestored(t *rapid.T, s subscription.State) subscription.State {
	s.Gift = subscription.Gift{}
	encoded, err := json.Marshal(s)
	if err != nil {
		t.Fatal(err)
	}
	restored, err := decodeDueState(9, encoded)
	if err != nil {
		t.Fatal(err)
	}
	return restored
}

// projectedEvents draws any event the projection's handlers accept. Ids, counts, instants and enumerations
// come from small sets, so events meet the states they act on (an invoice that is the unsettled one, a
// retry before the period's end, a gift donor) as often as not. Coupons are none, a catalog's, or a gift's
// GiftCoupon, so gift terms come both as gift phases and as periods freed by the gift's coupon (how
// renewals recorded before own terms repeated a gift), into subscriptions with or without a coupon of their
// own.
func projectedEvents() *rapid.Generator[subscription.Event] {
	instants := []time.Time{{}, t0, t0.Add(time.Hour), t1, t1.AddDate(0, 0, 3)}
	gift, catalog := subscription.GiftCoupon, subscription.Coupon{ID: 2, Code: "TEN", PercentOff: 10_000,
		Duration: subscription.DurationRepeating, DurationInMonths: 2}
	config := rapid.MakeConfig{
		Types: map[reflect.Type]*rapid.Generator[any]{
			reflect.TypeFor[time.Time](): rapid.SampledFrom(instants).AsAny(),
			reflect.TypeFor[*subscription.Coupon](): rapid.SampledFrom([]*subscription.Coupon{nil, &gift,
				&catalog}).AsAny(),
			reflect.TypeFor[subscription.Status](): rapid.SampledFrom([]string{"", "incomplete", "active", "trialing",
				"past_due", "unpaid", "canceled", "expired"}).AsAny(),
			reflect.TypeFor[subscription.Type](): rapid.SampledFrom([]string{"regular", "membership", "gift_donor",
				"gift_recipient"}).AsAny(),
			reflect.TypeFor[subscription.Billing](): rapid.SampledFrom([]string{"charge_automatically",
				"send_invoice"}).AsAny(),
		},
		Kinds: map[reflect.Kind]*rapid.Generator[any]{
			reflect.Int64:  rapid.Int64Range(0, 3).AsAny(),
			reflect.Int:    rapid.IntRange(0, 3).AsAny(),
			reflect.String: rapid.SampledFrom([]string{"", "x"}).AsAny(),
		},
	}
	return rapid.OneOf(eventsOfEveryHandler(config)...)
}

// eventsOfEveryHandler draws each event type the projection handles, one generator per handler of
// Projection() (TestTheFoldPropertyDrawsEveryHandledEvent keeps the two lists the same length).
func eventsOfEveryHandler(config rapid.MakeConfig) []*rapid.Generator[subscription.Event] {
	return []*rapid.Generator[subscription.Event]{
		event[subscription.Created](config), event[subscription.PaymentSucceeded](config),
		event[subscription.PaymentFailed](config), event[subscription.PeriodStarted](config),
		event[subscription.CancellationScheduled](config), event[subscription.Reactivated](config),
		event[subscription.Ended](config), event[subscription.PhaseAdded](config),
		event[subscription.PlanChanged](config), event[subscription.GiftNotified](config),
		event[subscription.GiftRedeemed](config), event[subscription.GiftTermGiven](config),
		event[subscription.Erased](config),
		event[subscription.PurchaseAwaitingPayment](config), event[subscription.PurchaseSettled](config),
		event[subscription.PurchaseAbandoned](config), event[subscription.InvoiceOverdue](config)}
}

func TestTheFoldPropertyDrawsEveryHandledEvent(t *testing.T) {
	t.Parallel()
	// Given the projection's handlers; when the fold property draws its events; then it draws one type per
	// handler, so an event handled later is not left out of the property by a list kept by hand.
	if drawn, handled := len(eventsOfEveryHandler(rapid.MakeConfig{})), len(Projection().Handlers); drawn != handled {
		t.Fatalf("the fold property draws %d event types, the projection handles %d: add the new ones to eventsOfEveryHandler", drawn, handled)
	}
}

func event[E subscription.Event](config rapid.MakeConfig) *rapid.Generator[subscription.Event] {
	return rapid.Map(rapid.MakeCustom[E](config), func(e E) subscription.Event { return e })
}
