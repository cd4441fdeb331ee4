package commands_test

import (
	"errors"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// errDeclined stands for any *payments.Declined in the cases below.
var errDeclined = errors.New("declined")

func TestCreatingASubscription(t *testing.T) {
	t.Parallel()
	w := newSalesWorld(t)
	cases := []struct {
		name       string
		in         commands.NewSubscription
		wantStatus subscription.Status
		wantErr    error
		wantPaid   int // charges taken
	}{
		{"a card token pays the first period and is kept for renewals",
			commands.NewSubscription{PlanID: 4051, Token: "tok_visa"}, subscription.StatusActive, nil, 1},
		{"a free plan needs no payment", commands.NewSubscription{PlanID: 4052}, subscription.StatusActive, nil, 0},
		{"a plan that costs needs a way to pay", commands.NewSubscription{PlanID: 4051}, "",
			commands.ErrPaymentMeansRequired, 0},
		{"an unknown plan", commands.NewSubscription{PlanID: 999, Token: "tok_visa"}, "", commands.ErrPlanNotFound, 0},
		{"a plan sold in some countries needs an address", commands.NewSubscription{PlanID: 4060, Token: "tok_visa"},
			"", commands.ErrAddressRequired, 0},
		{"an unknown coupon", commands.NewSubscription{PlanID: 4051, Token: "tok_visa", CouponCode: "NOPE"}, "",
			commands.ErrCouponNotFound, 0},
		{"an invalid campaign key costs nothing", commands.NewSubscription{PlanID: 4051, Token: "tok_visa",
			CampaignKey: "a b"}, "", subscription.ErrInvalid, 0},
		{"domains on a plan that is not a membership", commands.NewSubscription{PlanID: 4052,
			Domains: []string{"example.com"}}, "", subscription.ErrInvalid, 0},
		{"send_invoice on a plan that may not be invoiced", commands.NewSubscription{PlanID: 4051, SendInvoice: true},
			"", commands.ErrSendInvoiceNotAllowed, 0},
		{"a card declined at its first charge leaves no subscription",
			commands.NewSubscription{PlanID: 4051, Token: "tok_chargeCustomerFail"}, "", errDeclined, 0},
		{"a card refused when saved", commands.NewSubscription{PlanID: 4051, Token: "tok_chargeDeclined"}, "",
			errDeclined, 0},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// given a customer of their own (the sandbox counts every charge, so not in parallel)
			customer := w.register(t, "c"+string(rune('a'+i))+"@example.com", "c"+string(rune('a'+i)))
			before := w.charges(t)
			tc.in.Target = who(customer)
			// when they subscribe
			created, err := w.subscriptions.Create(t.Context(), newEnv(), tc.in)
			// then
			switch tc.wantErr {
			case nil:
				if err != nil {
					t.Fatalf("Create = %v", err)
				}
			case errDeclined:
				if !errors.As(err, new(*payments.Declined)) {
					t.Fatalf("Create = %v, want a decline", err)
				}
			default:
				if !errors.Is(err, tc.wantErr) {
					t.Fatalf("Create = %v, want %v", err, tc.wantErr)
				}
			}
			if got := w.charges(t) - before; got != tc.wantPaid {
				t.Errorf("%d charges, want %d", got, tc.wantPaid)
			}
			if tc.wantErr != nil {
				return
			}
			s := w.read(t, created.SubscriptionID)
			if s.Status != tc.wantStatus || s.CustomerID != customer {
				t.Fatalf("subscription = %+v, want %s for customer %d", s, tc.wantStatus, customer)
			}
			if tc.wantPaid > 0 && (s.Payment.SourceID == 0 || s.LatestInvoice == 0 || s.PeriodAmount != 1000) {
				t.Errorf("a paid subscription without its card, invoice or amount: %+v", s)
			}
		})
	}
}

func TestADeclinedFirstChargeVoidsItsInvoiceAndFreesTheCurrency(t *testing.T) {
	t.Parallel()
	w := newSalesWorld(t)
	customer := w.register(t, "ann@example.com", "ann")
	// given a first purchase whose card is declined at the charge
	_, err := w.subscriptions.Create(t.Context(), newEnv(), commands.NewSubscription{Target: who(customer),
		PlanID: 4051, Token: "tok_chargeCustomerFail"})
	if !errors.As(err, new(*payments.Declined)) {
		t.Fatalf("Create = %v, want a decline", err)
	}
	// then its invoice (the first one drawn) is void and no subscription exists
	if inv := w.state(t, 1); inv.Status != invoice.StatusVoid || inv.Total != 1000 {
		t.Errorf("first invoice = %+v, want a void invoice of 1000", inv)
	}
	if n := w.streamEvents(t, subscriptionStream(1)); n != 0 {
		t.Errorf("a declined sale recorded %d subscription events", n)
	}
	// and the customer may still buy in another currency
	if _, err := w.subscriptions.Create(t.Context(), newEnv(), commands.NewSubscription{Target: who(customer),
		PlanID: 4053, Token: "tok_visa"}); err != nil {
		t.Fatalf("a euro plan after a declined dollar one: %v", err)
	}
}

func TestTheCustomersCurrencyIsTheirFirstSubscriptions(t *testing.T) {
	t.Parallel()
	w := newSalesWorld(t)
	customer := w.register(t, "ann@example.com", "ann")
	// given a subscription in dollars
	w.subscribe(t, customer, 4051, "tok_visa")
	// when the customer subscribes to a plan in euros, then it is refused before any charge
	before := w.charges(t)
	_, err := w.subscriptions.Create(t.Context(), newEnv(), commands.NewSubscription{Target: who(customer),
		PlanID: 4053, Token: "tok_visa"})
	if !errors.Is(err, subscription.ErrCurrencyMismatch) || w.charges(t) != before {
		t.Fatalf("Create = %v with %d charges, want a currency mismatch and none", err, w.charges(t)-before)
	}
	if got, err := w.subscriptions.CustomerCurrency(t.Context(), who(customer)); err != nil || got != "usd" {
		t.Fatalf("CustomerCurrency = %q, %v; want usd", got, err)
	}
}

func TestTheSameCreationTwiceSubscribesAndChargesOnce(t *testing.T) {
	t.Parallel()
	w := newSalesWorld(t)
	customer := w.register(t, "ann@example.com", "ann")
	env := newEnv()
	in := commands.NewSubscription{Target: who(customer), PlanID: 4051, Token: "tok_visa"}
	// when one command (one Idempotency-Key) runs twice
	first, err := w.subscriptions.Create(t.Context(), env, in)
	if err != nil {
		t.Fatal(err)
	}
	again, err := w.subscriptions.Create(t.Context(), env, in)
	// then it is one subscription, one card and one charge
	if err != nil || again.SubscriptionID != first.SubscriptionID {
		t.Fatalf("again = %d, %v; want subscription %d", again.SubscriptionID, err, first.SubscriptionID)
	}
	if n := w.charges(t); n != 1 {
		t.Errorf("%d charges, want 1", n)
	}
	if cards := w.cards(t); cards != 1 {
		t.Errorf("%d cards saved, want 1", cards)
	}
}

func TestThreeDSecureLeavesTheSubscriptionIncompleteUntilItsInvoiceIsPaid(t *testing.T) {
	t.Parallel()
	w := newSalesWorld(t)
	customer := w.register(t, "ann@example.com", "ann")
	// given a subscription paid with a card that needs 3-D Secure
	created, err := w.subscriptions.Create(t.Context(), newEnv(), commands.NewSubscription{Target: who(customer),
		PlanID: 4051, Token: "tok_threeDSecure2Required"})
	if err != nil {
		t.Fatal(err)
	}
	if created.PaymentIntent == nil || created.PaymentIntent.Status != payments.IntentRequiresAction || created.SetupIntent == nil {
		t.Fatalf("created = %+v, want a payment intent and a setup intent to complete", created)
	}
	s := w.read(t, created.SubscriptionID)
	if s.Status != subscription.StatusIncomplete {
		t.Fatalf("status = %s, want incomplete", s.Status)
	}
	// when the customer completes the payment intent and the reactor hears the invoice was paid
	if _, err := w.sandbox.Confirm(t.Context(), created.PaymentIntent.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := w.intents.Confirm(t.Context(), newEnv(), created.PaymentIntent.ID); err != nil {
		t.Fatal(err)
	}
	for range 2 { // a redelivered event changes nothing
		if _, err := w.subscriptions.RecordInvoicePaid(t.Context(), envelope("invoice-paid:1"), s.LatestInvoice, 1000); err != nil {
			t.Fatal(err)
		}
	}
	// then the subscription is active
	if s := w.read(t, created.SubscriptionID); s.Status != subscription.StatusActive || s.Unsettled != 0 {
		t.Fatalf("after the payment: %+v, want active and settled", s)
	}
}

func TestPayingByInvoice(t *testing.T) {
	t.Parallel()
	w := newSalesWorld(t)
	customer := w.register(t, "ann@example.com", "ann")
	// when the customer asks to be invoiced for a plan that allows it
	created, err := w.subscriptions.Create(t.Context(), newEnv(), commands.NewSubscription{Target: who(customer),
		PlanID: 4053, SendInvoice: true})
	if err != nil {
		t.Fatal(err)
	}
	// then nothing is charged, the invoice is open, and the subscription waits for it
	s := w.read(t, created.SubscriptionID)
	if w.charges(t) != 0 || s.Status != subscription.StatusIncomplete || s.Billing != subscription.BillingSendInvoice {
		t.Fatalf("subscription = %+v with %d charges", s, w.charges(t))
	}
	if inv := w.state(t, s.LatestInvoice); inv.Status != invoice.StatusOpen || inv.SubscriptionID != s.ID {
		t.Fatalf("invoice = %+v, want open for subscription %d", inv, s.ID)
	}
}

func TestAGiftHasACodeToRedeemItBy(t *testing.T) {
	t.Parallel()
	w := newSalesWorld(t)
	donor := w.register(t, "ann@example.com", "ann")
	start := time.Date(2030, 5, 1, 0, 0, 0, 0, time.UTC)
	// when the customer gives a gift
	created, err := w.subscriptions.Create(t.Context(), newEnv(), commands.NewSubscription{Target: who(donor),
		PlanID: 4051, Token: "tok_visa", GiftStart: start,
		Gift: subscription.Gift{RecipientEmail: "bo@example.com", RecipientFirstName: "Bo", Message: "Enjoy"}})
	if err != nil {
		t.Fatal(err)
	}
	s := w.read(t, created.SubscriptionID)
	if s.Type != subscription.TypeGiftDonor || !subscription.IsGiftCode(s.GiftCode) || !s.GiftPaid || !s.GiftStart.Equal(start) {
		t.Fatalf("gift = %+v, want a paid donor subscription with a code starting %s", s, start)
	}
	// then its code finds it, in its account only, and no other code does
	found, err := w.subscriptions.GiftByCode(t.Context(), s.GiftCode)
	if err != nil || found.ID != s.ID {
		t.Fatalf("GiftByCode = %d, %v; want %d", found.ID, err, s.ID)
	}
	if _, err := w.subscriptions.GiftSubscription(t.Context(), 2, s.GiftCode); !errors.Is(err, subscription.ErrNotGift) {
		t.Errorf("another account's gift = %v, want ErrNotGift", err)
	}
	for _, code := range []string{"GIFT-2222-2222", "gift", ""} {
		if _, err := w.subscriptions.GiftByCode(t.Context(), code); !errors.Is(err, subscription.ErrNotGift) {
			t.Errorf("GiftByCode(%q) = %v, want ErrNotGift", code, err)
		}
	}
}
