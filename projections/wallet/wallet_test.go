package wallet

import (
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
	"github.com/pelcro-oss/pelcro-api/projections/projectiontest"
)

var (
	t1 = time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	t2 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
)

type step = projectiontest.Step

func saved(revision uint64, id int64, isDefault, pending bool) step {
	e := wallet.PaymentMethodSaved{CustomerID: 7, AccountID: 3, PaymentMethodID: id, Gateway: "stripe",
		ObjectID: "pm_" + string(rune('a'+id)), IsDefault: isDefault, SavedAt: t1,
		Card: wallet.Card{Brand: "visa", Last4: "4242", ExpMonth: 12, ExpYear: 2030}}
	if pending {
		e.Pending, e.SetupIntentID = true, "seti_1"
	}
	return projectiontest.At(revision, applySaved, e)
}

// row is what the read model holds of a card.
type row struct {
	ID        int64   `db:"id"`
	Status    string  `db:"status"`
	IsDefault bool    `db:"is_default"`
	ExpMonth  int     `db:"exp_month"`
	Subs      string  `db:"subs"`
	Deleted   bool    `db:"deleted"`
	Revision  int64   `db:"revision"`
	Updated   float64 `db:"updated"`
}

func TestPaymentMethodRows(t *testing.T) {
	t.Parallel()
	later := float64(t2.Unix())
	cases := []struct {
		name  string
		given []step
		when  step
		then  []row
	}{
		{"a first card is the default", nil, saved(0, 1, true, false),
			[]row{{ID: 1, Status: "chargeable", IsDefault: true, ExpMonth: 12, Subs: "{}", Updated: float64(t1.Unix())}}},
		{"a new default takes over", []step{saved(0, 1, true, false)}, saved(1, 2, true, true), []row{
			{ID: 1, Status: "chargeable", ExpMonth: 12, Subs: "{}", Revision: 1, Updated: float64(t1.Unix())},
			{ID: 2, Status: "pending", IsDefault: true, ExpMonth: 12, Subs: "{}", Revision: 1, Updated: float64(t1.Unix())}}},
		{"confirmed makes it chargeable", []step{saved(0, 1, true, true)},
			projectiontest.At(1, applyConfirmed, wallet.PaymentMethodConfirmed{CustomerID: 7, PaymentMethodID: 1, SetupIntentID: "seti_1", ConfirmedAt: t2}),
			[]row{{ID: 1, Status: "chargeable", IsDefault: true, ExpMonth: 12, Subs: "{}", Revision: 1, Updated: later}}},
		{"the default changes", []step{saved(0, 1, true, false), saved(1, 2, false, false)},
			projectiontest.At(2, applyDefaultChanged, wallet.DefaultPaymentMethodChanged{CustomerID: 7, PaymentMethodID: 2, ChangedAt: t2}),
			[]row{{ID: 1, Status: "chargeable", ExpMonth: 12, Subs: "{}", Revision: 2, Updated: later},
				{ID: 2, Status: "chargeable", IsDefault: true, ExpMonth: 12, Subs: "{}", Revision: 2, Updated: later}}},
		{"a new expiry", []step{saved(0, 1, true, false)},
			projectiontest.At(1, applyExpiryChanged, wallet.CardExpiryChanged{CustomerID: 7, PaymentMethodID: 1, ExpMonth: 3, ExpYear: 2031, ChangedAt: t2}),
			[]row{{ID: 1, Status: "chargeable", IsDefault: true, ExpMonth: 3, Subs: "{}", Revision: 1, Updated: later}}},
		{"deleted is kept, canceled", []step{saved(0, 1, true, false), saved(1, 2, false, false)},
			projectiontest.At(2, applyDeleted, wallet.PaymentMethodDeleted{CustomerID: 7, PaymentMethodID: 2, DeletedAt: t2}),
			[]row{{ID: 1, Status: "chargeable", IsDefault: true, ExpMonth: 12, Subs: "{}", Updated: float64(t1.Unix())},
				{ID: 2, Status: "canceled", ExpMonth: 12, Subs: "{}", Deleted: true, Revision: 2, Updated: later}}},
		{"a subscription starts using it", []step{saved(0, 1, true, false)},
			projectiontest.At(1, applyUseChanged, wallet.PaymentMethodUseChanged{CustomerID: 7, PaymentMethodID: 1, SubscriptionID: 50, InUse: true, ChangedAt: t2}),
			[]row{{ID: 1, Status: "chargeable", IsDefault: true, ExpMonth: 12, Subs: "{50}", Revision: 1, Updated: later}}},
		{"the customer's erasure deletes the cards", []step{saved(0, 1, true, false), saved(1, 2, false, false)},
			projectiontest.At(9, applyCustomerErased, customer.Erased{CustomerID: 7, ErasedAt: t2}), nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given the history, when the event is applied twice (a redelivery)
			db := projectiontest.Redelivered(t, tc.given, tc.when)
			// then the rows reflect it once
			var got []row
			if err := db.SelectContext(t.Context(), &got, `SELECT id, status, is_default, exp_month,
				subscription_ids::text AS subs, deleted_at IS NOT NULL AS deleted, revision,
				extract(epoch FROM updated_at)::float8 AS updated FROM payment_methods ORDER BY id`); err != nil {
				t.Fatalf("select: %v", err)
			}
			if len(got) != len(tc.then) {
				t.Fatalf("rows = %+v, want %+v", got, tc.then)
			}
			for i := range got {
				if got[i] != tc.then[i] {
					t.Errorf("row %d = %+v, want %+v", i, got[i], tc.then[i])
				}
			}
		})
	}
}
