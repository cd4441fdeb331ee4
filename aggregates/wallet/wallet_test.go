package wallet_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/aggtest"
	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
)

const (
	ann     = int64(7)
	account = int64(3)
)

var (
	savedAt = time.Date(2026, 5, 1, 9, 0, 0, 0, time.UTC)
	now     = time.Date(2026, 5, 2, 10, 0, 0, 0, time.UTC)
	spec    = aggtest.For(wallet.Events, wallet.Evolve)
	visa    = wallet.Card{Brand: "visa", Last4: "4242", ExpMonth: 12, ExpYear: 2030, Country: "US", Funding: "credit"}
)

func card(id int64, object string) wallet.NewPaymentMethod {
	return wallet.NewPaymentMethod{CustomerID: ann, AccountID: account, PaymentMethodID: id, Gateway: "stripe",
		GatewayCustomerID: "cus_1", ObjectID: object, Card: visa}
}

func saved(c wallet.NewPaymentMethod, isDefault bool) wallet.PaymentMethodSaved {
	return wallet.PaymentMethodSaved{CustomerID: ann, AccountID: account, PaymentMethodID: c.PaymentMethodID,
		Gateway: c.Gateway, GatewayCustomerID: c.GatewayCustomerID, ObjectID: c.ObjectID, Card: c.Card,
		Pending: c.SetupIntentID != "", SetupIntentID: c.SetupIntentID, IsDefault: isDefault, SavedAt: savedAt}
}

func at(e wallet.PaymentMethodSaved, t time.Time) wallet.PaymentMethodSaved { e.SavedAt = t; return e }

func TestSave(t *testing.T) {
	t.Parallel()
	first, second := card(1, "pm_1"), card(2, "pm_2")
	threeDS := card(2, "pm_3ds")
	threeDS.SetupIntentID = "seti_1"
	chosen := card(2, "pm_2")
	chosen.MakeDefault = true
	cases := []struct {
		name  string
		given []wallet.Event
		save  wallet.NewPaymentMethod
		want  []wallet.Event
	}{
		{"the first card becomes the default", nil, first, []wallet.Event{at(saved(first, true), now)}},
		{"a second card is not the default", []wallet.Event{saved(first, true)}, second, []wallet.Event{at(saved(second, false), now)}},
		{"a second card asked to be the default is", []wallet.Event{saved(first, true)}, chosen, []wallet.Event{at(saved(chosen, true), now)}},
		{"a card needing 3-D Secure is saved pending", []wallet.Event{saved(first, true)}, threeDS, []wallet.Event{at(saved(threeDS, false), now)}},
		{"a retried save of the same card is a no-op", []wallet.Event{saved(first, true)}, first, nil},
		{"after the default was deleted the next card is the default", []wallet.Event{saved(first, true),
			wallet.PaymentMethodDeleted{CustomerID: ann, PaymentMethodID: 1, DeletedAt: savedAt}}, second,
			[]wallet.Event{at(saved(second, true), now)}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			spec.Given(tc.given...).When(func(s wallet.State) ([]wallet.Event, error) { return wallet.Save(s, tc.save, now) }).
				Then(t, tc.want...)
		})
	}
}

func TestSaveRefusals(t *testing.T) {
	t.Parallel()
	full := []wallet.Event{}
	for i := range int64(wallet.MaxPaymentMethods) {
		full = append(full, saved(card(i+1, "pm_"+strings.Repeat("x", int(i+1))), i == 0))
	}
	otherAccount := card(2, "pm_2")
	otherAccount.AccountID = account + 1
	noExpiry, control := card(2, "pm_2"), card(2, "pm_2")
	noExpiry.Card.ExpYear = 0
	control.Card.Brand = "vi\x00sa"
	cases := []struct {
		name  string
		given []wallet.Event
		save  wallet.NewPaymentMethod
		want  error
	}{
		{"a 201st card", full, card(999, "pm_new"), wallet.ErrTooMany},
		{"a wallet of another account", []wallet.Event{saved(card(1, "pm_1"), true)}, otherAccount, wallet.ErrNotFound},
		{"a retried save of a card deleted since", []wallet.Event{saved(card(1, "pm_1"), true),
			wallet.PaymentMethodDeleted{CustomerID: ann, PaymentMethodID: 1, DeletedAt: savedAt}}, card(1, "pm_1"), wallet.ErrNotFound},
		{"a card without an expiry", nil, noExpiry, wallet.ErrGatewayAnswer},
		{"a card with a control character", nil, control, wallet.ErrGatewayAnswer},
		{"a card without the gateway's id", nil, card(2, ""), wallet.ErrGatewayAnswer},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			spec.Given(tc.given...).When(func(s wallet.State) ([]wallet.Event, error) { return wallet.Save(s, tc.save, now) }).
				ThenError(t, tc.want)
		})
	}
	// and a deleted card frees its place
	freed := append(full, wallet.PaymentMethodDeleted{CustomerID: ann, PaymentMethodID: 2, DeletedAt: savedAt})
	spec.Given(freed...).When(func(s wallet.State) ([]wallet.Event, error) { return wallet.Save(s, card(999, "pm_new"), now) }).
		Then(t, at(saved(card(999, "pm_new"), false), now))
}

func TestConfirm(t *testing.T) {
	t.Parallel()
	threeDS := card(1, "pm_3ds")
	threeDS.SetupIntentID = "seti_1"
	confirmed := wallet.PaymentMethodConfirmed{CustomerID: ann, PaymentMethodID: 1, SetupIntentID: "seti_1", ConfirmedAt: now}
	spec.Given(saved(threeDS, true)).When(confirm("seti_1")).Then(t, confirmed)
	spec.Given(saved(threeDS, true), confirmed).When(confirm("seti_1")).Then(t)
	spec.Given(saved(threeDS, true)).When(confirm("seti_other")).ThenError(t, wallet.ErrUnknownSetupIntent)
	spec.Given(saved(card(1, "pm_1"), true)).When(confirm("")).ThenError(t, wallet.ErrUnknownSetupIntent)
}

func TestConfirmByAPayment(t *testing.T) {
	t.Parallel()
	threeDS := card(1, "pm_3ds")
	threeDS.SetupIntentID = "seti_1"
	byPayment := func(id int64) func(wallet.State) ([]wallet.Event, error) {
		return func(s wallet.State) ([]wallet.Event, error) { return wallet.ConfirmByPayment(s, id, "pi_1", now) }
	}
	confirmed := wallet.PaymentMethodConfirmed{CustomerID: ann, PaymentMethodID: 1, SetupIntentID: "seti_1",
		PaymentIntentID: "pi_1", ConfirmedAt: now}
	deleted := wallet.PaymentMethodDeleted{CustomerID: ann, PaymentMethodID: 1, DeletedAt: savedAt}
	cases := []struct {
		name  string
		given []wallet.Event
		want  []wallet.Event
	}{
		{"a card waiting for its setup becomes chargeable", []wallet.Event{saved(threeDS, true)}, []wallet.Event{confirmed}},
		{"once", []wallet.Event{saved(threeDS, true), confirmed}, nil},
		{"a card confirmed by its setup intent already stays as it is", []wallet.Event{saved(threeDS, true),
			wallet.PaymentMethodConfirmed{CustomerID: ann, PaymentMethodID: 1, SetupIntentID: "seti_1", ConfirmedAt: now}}, nil},
		{"a card deleted meanwhile stays deleted", []wallet.Event{saved(threeDS, true), deleted}, nil},
		{"a chargeable card needs nothing", []wallet.Event{saved(card(1, "pm_1"), true)}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			spec.Given(tc.given...).When(byPayment(1)).Then(t, tc.want...)
		})
	}
}

func confirm(intent string) func(wallet.State) ([]wallet.Event, error) {
	return func(s wallet.State) ([]wallet.Event, error) { return wallet.Confirm(s, intent, now) }
}

func TestUpdate(t *testing.T) {
	t.Parallel()
	given := []wallet.Event{saved(card(1, "pm_1"), true), saved(card(2, "pm_2"), false)}
	cases := []struct {
		name   string
		change wallet.Change
		want   []wallet.Event
		err    error
	}{
		{"another card becomes the default", wallet.Change{PaymentMethodID: 2, MakeDefault: true},
			[]wallet.Event{wallet.DefaultPaymentMethodChanged{CustomerID: ann, PaymentMethodID: 2, ChangedAt: now}}, nil},
		{"the default again is a no-op", wallet.Change{PaymentMethodID: 1, MakeDefault: true}, nil, nil},
		{"a new expiry", wallet.Change{PaymentMethodID: 2, Expiry: &wallet.Expiry{Month: 5, Year: 2026}},
			[]wallet.Event{wallet.CardExpiryChanged{CustomerID: ann, PaymentMethodID: 2, ExpMonth: 5, ExpYear: 2026, ChangedAt: now}}, nil},
		{"the same expiry is a no-op", wallet.Change{PaymentMethodID: 2, Expiry: &wallet.Expiry{Month: 12, Year: 2030}}, nil, nil},
		{"last month is past", wallet.Change{PaymentMethodID: 2, Expiry: &wallet.Expiry{Month: 4, Year: 2026}}, nil, wallet.ErrExpiryPast},
		{"month 13", wallet.Change{PaymentMethodID: 2, Expiry: &wallet.Expiry{Month: 13, Year: 2030}}, nil, wallet.ErrExpiryMonth},
		{"a two-digit year", wallet.Change{PaymentMethodID: 2, Expiry: &wallet.Expiry{Month: 5, Year: 31}}, nil, wallet.ErrExpiryYear},
		{"an unknown card", wallet.Change{PaymentMethodID: 9, MakeDefault: true}, nil, wallet.ErrNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			outcome := spec.Given(given...).When(func(s wallet.State) ([]wallet.Event, error) { return wallet.Update(s, tc.change, now) })
			if tc.err != nil {
				outcome.ThenError(t, tc.err)
				return
			}
			outcome.Then(t, tc.want...)
		})
	}
}

// TestDeleteAndDeletable: the default stays, and so does a subscription's own card while the default (here
// waiting for 3-D Secure) cannot be charged instead; TestAHeldCardIsInUseOnlyWhileItWouldBeCharged has the rest.
func TestDeleteAndDeletable(t *testing.T) {
	t.Parallel()
	pendingDefault := card(1, "pm_1")
	pendingDefault.SetupIntentID = "seti_1"
	given := []wallet.Event{saved(pendingDefault, true), saved(card(2, "pm_2"), false), saved(card(3, "pm_3"), false),
		wallet.PaymentMethodUseChanged{CustomerID: ann, PaymentMethodID: 3, SubscriptionID: 50, InUse: true, ChangedAt: savedAt}}
	remove := func(id int64) func(wallet.State) ([]wallet.Event, error) {
		return func(s wallet.State) ([]wallet.Event, error) { return wallet.Delete(s, id, now) }
	}
	deleted := wallet.PaymentMethodDeleted{CustomerID: ann, PaymentMethodID: 2, DeletedAt: now}
	spec.Given(given...).When(remove(2)).Then(t, deleted)
	spec.Given(given...).When(remove(1)).ThenError(t, wallet.ErrDefaultNotDeletable)
	spec.Given(given...).When(remove(3)).ThenError(t, wallet.ErrInUse)
	spec.Given(append(given, deleted)...).When(remove(2)).ThenError(t, wallet.ErrNotFound)
	released := wallet.PaymentMethodUseChanged{CustomerID: ann, PaymentMethodID: 3, SubscriptionID: 50, ChangedAt: now}
	spec.Given(given...).When(func(s wallet.State) ([]wallet.Event, error) { return wallet.SetUse(s, 3, 50, false, now) }).Then(t, released)
	spec.Given(given...).When(func(s wallet.State) ([]wallet.Event, error) { return wallet.SetUse(s, 3, 50, true, now) }).Then(t)

	var s wallet.State
	for _, e := range append(given, released) {
		s = wallet.Evolve(s, e)
	}
	for id, want := range map[int64]bool{1: false, 2: true, 3: true} {
		if m, _ := s.Method(id); s.Deletable(m) != want {
			t.Errorf("card %d deletable = %v, want %v", id, s.Deletable(m), want)
		}
	}
}

func TestParseCCExp(t *testing.T) {
	t.Parallel()
	cases := map[string]error{"12/30": nil, "01/27": nil, "1/27": wallet.ErrExpiryMalformed, "13/27": wallet.ErrExpiryMalformed,
		"00/27": wallet.ErrExpiryMalformed, "12/2030": wallet.ErrExpiryMalformed, "": wallet.ErrExpiryMalformed, "１２/30": wallet.ErrExpiryMalformed}
	for in, want := range cases {
		if _, err := wallet.ParseCCExp(in); !errors.Is(err, want) {
			t.Errorf("ParseCCExp(%q) = %v, want %v", in, err, want)
		}
	}
	if e, _ := wallet.ParseCCExp("05/26"); e != (wallet.Expiry{Month: 5, Year: 2026}) || e.Check(now) != nil {
		t.Errorf("05/26 = %+v (check %v), want May 2026, valid through this month", e, e.Check(now))
	}
}
