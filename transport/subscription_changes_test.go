package transport

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// stubChanges answers every subscription change with err (or, for renew, change and gift renew, the
// payment intent waiting for 3-D Secure) and keeps the last input it was given.
type stubChanges struct {
	err    error
	intent *payments.Intent
	mu     sync.Mutex
	last   any
}

func (s *stubChanges) keep(in any) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.last = in
}

func (s *stubChanges) input() any {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.last
}

func (s *stubChanges) Renew(_ context.Context, _ commands.Envelope, in commands.Renewal) (commands.SubscriptionResult, error) {
	s.keep(in)
	return commands.SubscriptionResult{SubscriptionID: in.SubscriptionID, PaymentIntent: s.intent}, s.err
}

func (s *stubChanges) Change(_ context.Context, _ commands.Envelope, in commands.PlanChange) (commands.ChangedPlan, error) {
	s.keep(in)
	return commands.ChangedPlan{SubscriptionResult: commands.SubscriptionResult{PaymentIntent: s.intent}}, s.err
}

func (s *stubChanges) RenewGift(_ context.Context, _ commands.Envelope, in commands.GiftRenewal) (commands.SubscriptionResult, error) {
	s.keep(in)
	return commands.SubscriptionResult{PaymentIntent: s.intent}, s.err
}

func (s *stubChanges) RedeemGift(_ context.Context, _ commands.Envelope, in commands.GiftRedemption) (commands.SubscriptionResult, error) {
	s.keep(in)
	return commands.SubscriptionResult{}, s.err
}

func TestSubscriptionChangeEndpoints(t *testing.T) {
	t.Parallel()
	deps, world := customerStack(t)
	checker := documentChecker(t)
	token, id := world.register(t, "ann@changes.example.com", customerPassword)
	cases := []struct {
		name    string
		path    string
		body    string
		err     error
		status  int
		message string // the error's message, or a field's for 400 validation ("field: message")
		input   any    // what the command was given (nil: not called)
		intent  bool   // the card needs 3-D Secure: the answer's meta holds the payment intent
	}{
		{name: "renew", path: "/subscription/renew", body: `{"plan_id":4051,"subscription_id":9,"replace_upcoming_phases":true,"source_id":3}`,
			status: 200, input: commands.Renewal{SubscriptionSale: commands.SubscriptionSale{SubscriptionID: 9, PlanID: 4051, Quantity: 1,
				Payment: commands.SubscriptionPayment{SourceID: 3}}, ReplaceUpcoming: true}},
		{name: "renew paid with stripe_token, gateway_token's older name", path: "/subscription/renew",
			body:   `{"plan_id":4051,"subscription_id":9,"stripe_token":"tok_visa"}`,
			status: 200, input: commands.Renewal{SubscriptionSale: commands.SubscriptionSale{SubscriptionID: 9, PlanID: 4051, Quantity: 1,
				Payment: commands.SubscriptionPayment{Token: "tok_visa"}}}},
		{name: "change paid with stripe_token", path: "/subscription/change",
			body:   `{"plan_id":4054,"subscription_id":9,"stripe_token":"tok_visa","payment_gateway":"stripe"}`,
			status: 200, input: commands.PlanChange{SubscriptionSale: commands.SubscriptionSale{SubscriptionID: 9, PlanID: 4054, // no quantity: the subscription's own
				Payment: commands.SubscriptionPayment{Token: "tok_visa", Gateway: "stripe"}}}},
		{name: "gift renew paid with stripe_token", path: "/subscription/gift/renew",
			body:   `{"plan_id":4051,"subscription_id":9,"quantity":1,"stripe_token":"tok_visa"}`,
			status: 200, input: commands.GiftRenewal{SubscriptionSale: commands.SubscriptionSale{SubscriptionID: 9, PlanID: 4051,
				Quantity: 1, Payment: commands.SubscriptionPayment{Token: "tok_visa"}}}},
		{name: "renew waiting for 3-D Secure", path: "/subscription/renew", body: `{"plan_id":4051,"subscription_id":9,"gateway_token":"tok_threeDSecure2Required"}`,
			status: 200, intent: true},
		{name: "change waiting for 3-D Secure", path: "/subscription/change", body: `{"plan_id":4054,"subscription_id":9,"gateway_token":"tok_threeDSecure2Required"}`,
			status: 200, intent: true},
		{name: "gift renew waiting for 3-D Secure", path: "/subscription/gift/renew", body: `{"plan_id":4051,"subscription_id":9,"quantity":1,"gateway_token":"tok_threeDSecure2Required"}`,
			status: 200, intent: true},
		{name: "renew without plan_id", path: "/subscription/renew", body: `{"subscription_id":9}`, status: 400,
			message: "plan_id: Plan ID is required"},
		{name: "renew with a bad quantity", path: "/subscription/renew", body: `{"plan_id":1,"subscription_id":9,"quantity":0}`,
			status: 400, message: "quantity: The quantity must be between 1 and 10000."},
		{name: "renew with a bad replace flag", path: "/subscription/renew", body: `{"plan_id":1,"subscription_id":9,"replace_upcoming_phases":"maybe"}`,
			status: 400, message: "replace_upcoming_phases: The replace upcoming phases field must be true or false."},
		{name: "renew another customer's subscription", path: "/subscription/renew", body: `{"plan_id":1,"subscription_id":9}`,
			err: subscription.ErrNotFound, status: 400, message: "Invalid subscription provided"},
		{name: "renew past ten phases", path: "/subscription/renew", body: `{"plan_id":1,"subscription_id":9}`,
			err: subscription.ErrTooManyPhases, status: 400, message: "This subscription already has the most renewal phases allowed (10)."},
		{name: "renew replacing paid phases", path: "/subscription/renew", body: `{"plan_id":1,"subscription_id":9,"replace_upcoming_phases":1}`,
			err: subscription.ErrPhasesPaid, status: 400, message: "The scheduled renewal phases are already paid for and cannot be replaced."},
		{name: "renew a gift given", path: "/subscription/renew", body: `{"plan_id":1,"subscription_id":9}`,
			err: subscription.ErrGiftDonor, status: 400, message: "A gift you gave cannot be renewed or changed as a subscription."},
		{name: "renew a gift received without paying", path: "/subscription/renew", body: `{"plan_id":1,"subscription_id":9}`,
			err: subscription.ErrGiftRenewalUnpaid, status: 400,
			message: "A gift you received can only be renewed with a payment method (source_id or gateway_token)."},
		{name: "renew with a bad campaign key", path: "/subscription/renew", body: `{"plan_id":1,"subscription_id":9,"campaign_key":"a b"}`,
			err: subscription.Problems{{Field: "campaign_key", Rule: subscription.RuleCampaignKey}}, status: 400,
			message: "campaign_key: The campaign key must be 3 to 191 letters, digits, dashes or underscores."},
		{name: "renew too large for one charge", path: "/subscription/renew", body: `{"plan_id":1,"subscription_id":9,"quantity":10000}`,
			err: subscription.Problems{{Field: "quantity", Rule: subscription.RuleTotal}}, status: 400,
			message: "quantity: The total of one period is too large to be paid in one charge: lower the quantity."},
		{name: "change too large for one charge", path: "/subscription/change", body: `{"plan_id":1,"subscription_id":9,"quantity":10000}`,
			err: subscription.Problems{{Field: "quantity", Rule: subscription.RuleTotal}}, status: 400,
			message: "quantity: The total of one period is too large to be paid in one charge: lower the quantity."},
		{name: "gift renew too large for one charge", path: "/subscription/gift/renew", body: `{"plan_id":1,"subscription_id":9,"quantity":10000}`,
			err: subscription.Problems{{Field: "quantity", Rule: subscription.RuleTotal}}, status: 400,
			message: "quantity: The total of one period is too large to be paid in one charge: lower the quantity."},
		{name: "renew with a declined card", path: "/subscription/renew", body: `{"plan_id":1,"subscription_id":9,"gateway_token":"tok_chargeDeclined"}`,
			err: &payments.Declined{Reason: payments.CardDeclined}, status: 404, message: "Your card was declined."},
		{name: "change", path: "/subscription/change", body: `{"plan_id":4054,"subscription_id":9,"quantity":2,"coupon_code":"X"}`,
			status: 200, input: commands.PlanChange{SubscriptionSale: commands.SubscriptionSale{SubscriptionID: 9, PlanID: 4054, Quantity: 2, CouponCode: "X"}}},
		{name: "change without subscription_id", path: "/subscription/change", body: `{"plan_id":1}`, status: 400,
			message: "subscription_id: The subscription id field is required."},
		{name: "change another customer's subscription", path: "/subscription/change", body: `{"plan_id":1,"subscription_id":9}`,
			err: subscription.ErrNotFound, status: 404, message: "Invalid subscription provided"},
		{name: "change to an unknown plan", path: "/subscription/change", body: `{"plan_id":1,"subscription_id":9}`,
			err: commands.ErrPlanNotFound, status: 404, message: "Invalid plan provided"},
		{name: "change to the same plan", path: "/subscription/change", body: `{"plan_id":1,"subscription_id":9}`,
			err: subscription.ErrSamePlan, status: 404, message: "The subscription is already on this plan and quantity."},
		{name: "change during a gift's term", path: "/subscription/change", body: `{"plan_id":1,"subscription_id":9}`,
			err: subscription.ErrInGiftTerm, status: 404,
			message: "This subscription is in a term a gift paid for. Change its plan once the gift's terms have ended."},
		{name: "change with nothing to pay with", path: "/subscription/change", body: `{"plan_id":1,"subscription_id":9}`,
			err: commands.ErrPaymentMeansRequired, status: 404, message: "A payment method is required."},
		{name: "change sent again after its refused payment was refunded", path: "/subscription/change",
			body: `{"plan_id":1,"subscription_id":9}`, err: commands.ErrPurchaseRefunded, status: 404,
			message: "This purchase was refused after its payment, and the payment was refunded in full. " +
				"Send a new request to buy again."},
		{name: "renew sent again after its 3-D Secure was given up", path: "/subscription/renew",
			body: `{"plan_id":1,"subscription_id":9}`, err: commands.ErrPurchaseAbandoned, status: 400,
			message: "This purchase was given up because its 3-D Secure authentication was not completed, and " +
				"nothing was charged. Send a new request to buy again."},
		{name: "change sent again after its 3-D Secure was given up", path: "/subscription/change",
			body: `{"plan_id":1,"subscription_id":9}`, err: commands.ErrPurchaseAbandoned, status: 404,
			message: "This purchase was given up because its 3-D Secure authentication was not completed, and " +
				"nothing was charged. Send a new request to buy again."},
		{name: "gift renew sent again after its 3-D Secure was given up", path: "/subscription/gift/renew",
			body: `{"plan_id":4051,"subscription_id":9,"quantity":1}`, err: commands.ErrPurchaseAbandoned, status: 400,
			message: "This purchase was given up because its 3-D Secure authentication was not completed, and " +
				"nothing was charged. Send a new request to buy again."},
		{name: "gift renew", path: "/subscription/gift/renew", body: `{"plan_id":4051,"subscription_id":9,"quantity":1}`,
			status: 200, input: commands.GiftRenewal{SubscriptionSale: commands.SubscriptionSale{SubscriptionID: 9, PlanID: 4051, Quantity: 1}}},
		{name: "gift renew without quantity", path: "/subscription/gift/renew", body: `{"plan_id":4051,"subscription_id":9}`,
			status: 400, message: "quantity: The quantity field is required."},
		{name: "gift renew of no gift", path: "/subscription/gift/renew", body: `{"plan_id":4051,"subscription_id":9,"quantity":1}`,
			err: subscription.ErrNotGift, status: 400, message: "This subscription is not a gift you gave."},
		{name: "gift renew whose address moved while the donor was charged", path: "/subscription/gift/renew",
			body: `{"plan_id":4051,"subscription_id":9,"quantity":1}`, err: commands.ErrAddressMoved, status: 400,
			message: "The address changed in the meantime, please try again."},
		{name: "gift renew onto a recipient's subscription owing an invoice", path: "/subscription/gift/renew",
			body: `{"plan_id":4051,"subscription_id":9,"quantity":1}`, err: subscription.ErrInvoiceUnpaid, status: 400,
			message: "This subscription has an unpaid invoice. Pay it before adding a gift to this subscription, " +
				"or redeem the gift without choosing a subscription."},
		{name: "redeem", path: "/gift/redeem", body: `{"gift_code":"GIFT-ABCD-EFGH","subscription_id":5}`,
			status: 200, input: commands.GiftRedemption{Code: "GIFT-ABCD-EFGH", SubscriptionID: 5}},
		{name: "redeem without a code", path: "/gift/redeem", body: `{}`, status: 400,
			message: "gift_code: The gift code field is required."},
		{name: "redeem an unknown code", path: "/gift/redeem", body: `{"gift_code":"GIFT-ZZZZ-ZZZZ"}`,
			err: subscription.ErrNotGift, status: 404, message: "Invalid gift code provided"},
		{name: "redeem onto another customer's subscription", path: "/gift/redeem", body: `{"gift_code":"GIFT-ZZZZ-ZZZZ","subscription_id":5}`,
			err: subscription.ErrNotFound, status: 404, message: "Invalid subscription provided"},
		{name: "redeem a gift redeemed", path: "/gift/redeem", body: `{"gift_code":"GIFT-ZZZZ-ZZZZ"}`,
			err: subscription.ErrGiftRedeemed, status: 400, message: "This gift has already been redeemed."},
		{name: "redeem a gift one gave", path: "/gift/redeem", body: `{"gift_code":"GIFT-ZZZZ-ZZZZ"}`,
			err: subscription.ErrOwnGift, status: 400, message: "You cannot redeem a gift you gave."},
		{name: "redeem an unpaid gift", path: "/gift/redeem", body: `{"gift_code":"GIFT-ZZZZ-ZZZZ"}`,
			err: subscription.ErrGiftUnpaid, status: 400, message: "This gift has not been paid yet."},
		{name: "redeem onto a subscription owing an invoice", path: "/gift/redeem",
			body: `{"gift_code":"GIFT-ZZZZ-ZZZZ","subscription_id":5}`, err: subscription.ErrInvoiceUnpaid, status: 400,
			message: "This subscription has an unpaid invoice. Pay it before adding a gift to this subscription, " +
				"or redeem the gift without choosing a subscription."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given the commands answer tc.err
			stub := &stubChanges{err: tc.err}
			if tc.intent {
				stub.intent = &payments.Intent{ID: "pi_3ds", Kind: payments.PaymentIntent,
					Status: payments.IntentRequiresAction, ClientSecret: "pi_3ds_secret"}
			}
			d := deps
			d.SubscriptionChanges = stub
			d.WaitForSubscriptions = func(context.Context, commands.Written) error { return nil }
			router := newTestRouter(t, d)
			// when the customer calls the endpoint
			req := world.request(http.MethodPost, fmt.Sprintf("%s?site_id=%d", tc.path, customerSite), token, tc.body)
			rec := serve(router, req)
			// then
			if rec.Code != tc.status {
				t.Fatalf("status %d %s, want %d", rec.Code, rec.Body, tc.status)
			}
			checker.CheckResponse(t, req, rec)
			switch {
			case tc.status == http.StatusOK:
				answer := decodeBody[customerAnswer](t, rec)
				if answer.Data.ID != id || answer.Data.AuthToken == "" {
					t.Errorf("answer %+v, want customer %d with a token", answer, id)
				}
				if got := answer.Meta.PaymentIntent; (got != nil) != tc.intent || tc.intent && *got != *stub.intent {
					t.Errorf("meta's payment intent %+v, want it when the card needs 3-D Secure", got)
				}
			case tc.err == nil || errorsAsProblems(tc.err):
				assertFieldError(t, rec, tc.message)
			default:
				assertError(t, rec, tc.status, tc.message)
			}
			if tc.input != nil && fmt.Sprint(withoutTarget(stub.input())) != fmt.Sprint(tc.input) {
				t.Errorf("command input %+v, want %+v", stub.input(), tc.input)
			}
		})
	}
}

// customerAnswer is the part of a Customer answer these tests look at.
type customerAnswer struct {
	Data struct {
		ID        int64  `json:"id"`
		AuthToken string `json:"auth_token"`
	} `json:"data"`
	Meta struct {
		PaymentIntent *payments.Intent `json:"payment_intent"`
	} `json:"meta"`
}

// assertFieldError fails unless the answer is the validation shape holding want, "field: message".
func assertFieldError(t *testing.T, rec *httptest.ResponseRecorder, want string) {
	t.Helper()
	field, message, _ := strings.Cut(want, ": ")
	body := decodeBody[struct {
		Errors map[string][]string `json:"errors"`
	}](t, rec)
	if !slices.Contains(body.Errors[field], message) {
		t.Errorf("errors %v, want %q on %s", body.Errors, message, field)
	}
}

// errorsAsProblems reports whether err is the aggregate's value problems (answered as field errors).
func errorsAsProblems(err error) bool {
	var problems subscription.Problems
	return errors.As(err, &problems)
}

// withoutTarget is a command's input without the caller, which the tables leave out.
func withoutTarget(in any) any {
	switch in := in.(type) {
	case commands.Renewal:
		in.Target = commands.Target{}
		return in
	case commands.PlanChange:
		in.Target = commands.Target{}
		return in
	case commands.GiftRenewal:
		in.Target = commands.Target{}
		return in
	case commands.GiftRedemption:
		in.Target = commands.Target{}
		return in
	}
	return in
}
