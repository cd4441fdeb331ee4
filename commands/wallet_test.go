package commands_test

import (
	"errors"
	"sync"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

func TestSaveCards(t *testing.T) {
	t.Parallel()
	w := newWalletWorld(t)
	// given a customer without cards, when a visa and then a mastercard are saved
	first, err := w.save(t, "save-1", "tok_visa")
	if err != nil {
		t.Fatal(err)
	}
	second, err := w.save(t, "save-2", "tok_mastercard")
	if err != nil {
		t.Fatal(err)
	}
	// and a declined card is tried
	_, declineErr := w.save(t, "save-3", "tok_chargeDeclinedInsufficientFunds")
	// then the first is the default, the second is not, and the declined one is refused with its reason
	s := w.state(t, 7)
	if m, _ := s.Method(first.PaymentMethodID); !m.IsDefault || m.Card.Last4 != "4242" || m.Status != wallet.StatusChargeable {
		t.Errorf("first card = %+v, want the chargeable default visa", m)
	}
	if m, _ := s.Method(second.PaymentMethodID); m.IsDefault || m.Card.Brand != "mastercard" {
		t.Errorf("second card = %+v, want a mastercard that is not the default", m)
	}
	var declined *payments.Declined
	if !errors.As(declineErr, &declined) || declined.Reason != payments.InsufficientFunds {
		t.Errorf("declined save = %v, want insufficient funds", declineErr)
	}
	if s.Live() != 2 {
		t.Errorf("wallet holds %d cards, want 2 (a refused card is not saved)", s.Live())
	}
}

func TestSaveConvergesAfterAFailureAtEachStep(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		inject func(*walletWorld)
	}{
		{"the gateway is unreachable", func(w *walletWorld) { w.gateway.failBefore.Store(true) }},
		{"the gateway saved the card but its answer was lost", func(w *walletWorld) { w.gateway.failAfter.Store(true) }},
		{"the append never reached the store", func(w *walletWorld) { w.store.failBefore.Store(true) }},
		{"the append was written but its acknowledgement lost", func(w *walletWorld) { w.store.failAfter.Store(true) }},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			w := newWalletWorld(t)
			// given a failure at one step of a save
			tc.inject(w)
			_, err := w.save(t, "save-once", "tok_visa")
			if err == nil {
				t.Fatal("the save succeeded despite the failure")
			}
			// when the client retries with the same key (the same command id)
			retried, err := w.save(t, "save-once", "tok_visa")
			if err != nil {
				t.Fatalf("retry: %v", err)
			}
			// then exactly one card is saved, the default, and the retry names it
			s := w.state(t, 7)
			m, ok := s.Method(retried.PaymentMethodID)
			if s.Live() != 1 || !ok || !m.IsDefault {
				t.Fatalf("wallet = %+v, retry named %d: want one default card", s.Methods, retried.PaymentMethodID)
			}
			// and retrying again changes nothing and names the same card
			again, err := w.save(t, "save-once", "tok_visa")
			if err != nil || again.PaymentMethodID != retried.PaymentMethodID || w.state(t, 7).Live() != 1 {
				t.Fatalf("second retry = %+v, %v: want card %d and still one card", again, err, retried.PaymentMethodID)
			}
		})
	}
}

func TestConcurrentFirstCardsLeaveOneDefault(t *testing.T) {
	t.Parallel()
	w := newWalletWorld(t)
	// given a customer without cards, when 16 first cards are saved at once
	const saves = 16
	var wg sync.WaitGroup
	errs := make([]error, saves)
	for i := range saves {
		wg.Go(func() { _, errs[i] = w.save(t, "concurrent-"+string(rune('a'+i)), "tok_visa") })
	}
	wg.Wait()
	if err := errors.Join(errs...); err != nil {
		t.Fatal(err)
	}
	// then all 16 are saved and exactly one is the default
	s := w.state(t, 7)
	defaults := 0
	for _, m := range s.Methods {
		if m.IsDefault {
			defaults++
		}
	}
	if s.Live() != saves || defaults != 1 {
		t.Fatalf("%d cards, %d defaults; want %d cards and one default", s.Live(), defaults, saves)
	}
}

func TestThreeDSecureCardBecomesChargeableOnceConfirmed(t *testing.T) {
	t.Parallel()
	w := newWalletWorld(t)
	// given a card saved that needs 3-D Secure
	saved, err := w.save(t, "save-3ds", "tok_threeDSecure2Required")
	if err != nil {
		t.Fatal(err)
	}
	intent := saved.SetupIntent
	if intent == nil || intent.Status != payments.IntentRequiresAction || intent.ClientSecret == "" {
		t.Fatalf("setup intent = %+v, want one requiring action with a client secret", intent)
	}
	if m, _ := w.state(t, 7).Method(saved.PaymentMethodID); m.Status != wallet.StatusPending {
		t.Fatalf("card status = %s before confirmation, want pending", m.Status)
	}
	// when the pending card is updated (made the default), then the answer carries the intent still to
	// complete (spec #41)
	updated, err := w.wallets.Update(t.Context(), envelope("update-pending"), commands.PaymentMethodChange{
		Target: commands.Target{CustomerID: 7, AccountID: 3}, Change: wallet.Change{PaymentMethodID: saved.PaymentMethodID,
			MakeDefault: true}})
	if err != nil || updated.SetupIntent == nil || updated.SetupIntent.ID != intent.ID ||
		updated.SetupIntent.Status != payments.IntentRequiresAction || updated.SetupIntent.ClientSecret == "" {
		t.Fatalf("update of the pending card = %+v, %v; want its setup intent %s requiring action", updated, err, intent.ID)
	}
	// when it is confirmed before the customer authenticated, then nothing changes
	if _, err := w.intents.Confirm(t.Context(), envelope("confirm-early"), intent.ID); !errors.Is(err, commands.ErrIntentNotSucceeded) {
		t.Fatalf("early confirmation = %v, want ErrIntentNotSucceeded", err)
	}
	// when the customer authenticated and it is confirmed (twice: a webhook delivered again)
	if _, err := w.sandbox.Confirm(t.Context(), intent.ID); err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"confirm-1", "confirm-2"} {
		confirmed, err := w.intents.Confirm(t.Context(), envelope(id), intent.ID)
		if err != nil || confirmed.CustomerID != 7 || confirmed.Kind != string(payments.SetupIntent) {
			t.Fatalf("confirm = %+v, %v", confirmed, err)
		}
	}
	// then the card is chargeable, and an update of it carries no intent
	if m, _ := w.state(t, 7).Method(saved.PaymentMethodID); m.Status != wallet.StatusChargeable {
		t.Fatalf("card status = %s after confirmation, want chargeable", m.Status)
	}
	if updated, err := w.wallets.Update(t.Context(), envelope("update-chargeable"), commands.PaymentMethodChange{
		Target: commands.Target{CustomerID: 7, AccountID: 3}, Change: wallet.Change{PaymentMethodID: saved.PaymentMethodID,
			MakeDefault: true}}); err != nil || updated.SetupIntent != nil {
		t.Fatalf("update of the chargeable card = %+v, %v; want no setup intent", updated, err)
	}
	// and an intent nobody registered is unknown
	for _, unknown := range []string{"seti_nobody", "", "intent/../x", "seti_\x00"} {
		if _, err := w.intents.Confirm(t.Context(), envelope("confirm-unknown"), unknown); !errors.Is(err, payments.ErrUnknownIntent) {
			t.Errorf("confirm %q = %v, want ErrUnknownIntent", unknown, err)
		}
	}
}

func TestUpdateAndDeleteCards(t *testing.T) {
	t.Parallel()
	w := newWalletWorld(t)
	first, _ := w.save(t, "save-1", "tok_visa")
	second, err := w.save(t, "save-2", "tok_amex")
	if err != nil {
		t.Fatal(err)
	}
	ann := commands.Target{CustomerID: 7, AccountID: 3}
	// the default cannot be deleted
	if _, err := w.wallets.Delete(t.Context(), envelope("delete-1"), ann, first.PaymentMethodID); !errors.Is(err, wallet.ErrDefaultNotDeletable) {
		t.Fatalf("delete default = %v", err)
	}
	// another account cannot touch the wallet
	stranger := commands.Target{CustomerID: 7, AccountID: 4}
	if _, err := w.wallets.Delete(t.Context(), envelope("delete-x"), stranger, second.PaymentMethodID); !errors.Is(err, wallet.ErrNotFound) {
		t.Fatalf("delete from another account = %v", err)
	}
	// a gateway not served here is refused
	change := commands.PaymentMethodChange{Target: ann, Change: wallet.Change{PaymentMethodID: second.PaymentMethodID, MakeDefault: true}}
	change.Gateway = "braintree"
	if _, err := w.wallets.Update(t.Context(), envelope("update-x"), change); !errors.Is(err, commands.ErrUnknownGateway) {
		t.Fatalf("update through braintree = %v", err)
	}
	// when the second becomes the default, the first can be deleted
	change.Gateway = ""
	if _, err := w.wallets.Update(t.Context(), envelope("update-1"), change); err != nil {
		t.Fatal(err)
	}
	if _, err := w.wallets.Delete(t.Context(), envelope("delete-2"), ann, first.PaymentMethodID); err != nil {
		t.Fatal(err)
	}
	s := w.state(t, 7)
	if m, _ := s.Default(); m.ID != second.PaymentMethodID || s.Live() != 1 {
		t.Fatalf("wallet = %+v, want only the amex, the default", s.Methods)
	}
}
