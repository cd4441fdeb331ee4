package transport

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// TestSubscriptionEndpoints runs the scenarios of #27–#29 on one stack (each with customers of its own): a
// stack runs four projection runners, and one per scenario exhausted PostgreSQL's connections when the
// packages' tests run together.
func TestSubscriptionEndpoints(t *testing.T) {
	t.Parallel()
	w := subscriptionStack(t)
	t.Run("CreatingASubscriptionOverHTTP", func(t *testing.T) { creatingASubscriptionOverHTTP(t, w) })
	t.Run("SubscriptionCreationRefusals", func(t *testing.T) { subscriptionCreationRefusals(t, w) })
	t.Run("SubscriptionInputIsValidated", func(t *testing.T) { subscriptionInputIsValidated(t, w) })
	t.Run("EveryBadFieldIsNamedInOneAnswer", func(t *testing.T) { everyBadFieldIsNamedInOneAnswer(t, w) })
	t.Run("ThreeDSecureAtSubscriptionOverHTTP", func(t *testing.T) { threeDSecureAtSubscriptionOverHTTP(t, w) })
	t.Run("CreatingTwiceWithOneIdempotencyKeySubscribesOnce", func(t *testing.T) { creatingTwiceWithOneIdempotencyKeySubscribesOnce(t, w) })
	t.Run("CancellingAndReactivatingOverHTTP", func(t *testing.T) { cancellingAndReactivatingOverHTTP(t, w) })
	t.Run("AGiftShowsAmongTheDonorsGiftRecipients", func(t *testing.T) { aGiftShowsAmongTheDonorsGiftRecipients(t, w) })
	t.Run("AGiftGivenIsCanceledOnlyNowBeforeItIsRedeemed", func(t *testing.T) { aGiftGivenIsCanceledOnlyNowBeforeItIsRedeemed(t, w) })
	t.Run("AMembershipUnlocksItsNetworksWhileItRuns", func(t *testing.T) { aMembershipUnlocksItsNetworksWhileItRuns(t, w) })
	t.Run("MembershipSeatsOverHTTP", func(t *testing.T) { membershipSeatsOverHTTP(t, w) })
	t.Run("MembershipSeatRefusals", func(t *testing.T) { membershipSeatRefusals(t, w) })
	t.Run("AMemberSeesNothingOfTheOwnersOwn", func(t *testing.T) { aMemberSeesNothingOfTheOwnersOwn(t, w) })
	t.Run("ASeatEndsWithItsSubscription", func(t *testing.T) { aSeatEndsWithItsSubscription(t, w) })
	t.Run("ARequiredFieldIsWordedOneWayEverywhere", func(t *testing.T) { aRequiredFieldIsWordedOneWayEverywhere(t, w) })
	t.Run("ALanguageThatIsNoTextIsRefusedEverywhere", func(t *testing.T) { aLanguageThatIsNoTextIsRefusedEverywhere(t, w) })
	t.Run("AutoRenewDuringAGiftsTermIsTheSubscriptionsOwn", func(t *testing.T) { autoRenewDuringAGiftsTermIsTheSubscriptionsOwn(t, w) })
	t.Run("AddressesSubscriptionsUse", func(t *testing.T) { addressesSubscriptionsUse(t, w) })
	t.Run("AnotherCustomersAddressIsNotFoundEverywhere", func(t *testing.T) { anotherCustomersAddressIsNotFoundEverywhere(t, w) })
	t.Run("ANumberFieldSaysWhatIsWrongWithIt", func(t *testing.T) { aNumberFieldSaysWhatIsWrongWithIt(t, w) })
	t.Run("CancelAndReactivateValidateTheirBody", func(t *testing.T) { cancelAndReactivateValidateTheirBody(t, w) })
	t.Run("ACouponCodeIsATextWithoutControlCharacters", func(t *testing.T) { aCouponCodeIsATextWithoutControlCharacters(t, w) })
	t.Run("APlanNeedingAnAddressIsSoldAtTheDefaultShippingAddress", func(t *testing.T) {
		aPlanNeedingAnAddressIsSoldAtTheDefaultShippingAddress(t, w)
	})
}

func creatingASubscriptionOverHTTP(t *testing.T, w *subscriptionWorld) {
	token, customerID := w.register(t, "ann1@example.com", "a-long-password")
	// when Ann subscribes with a card token
	got := w.subscribe(t, token)
	// then she gets the Customer with a fresh token, the running subscription with its plan, and its paid invoice
	if got.Data.ID != customerID || got.Data.AuthToken == "" || got.Meta != nil {
		t.Fatalf("answer: customer %d, token %q, meta %+v", got.Data.ID, got.Data.AuthToken, got.Meta)
	}
	if len(got.Data.Subscriptions) != 1 {
		t.Fatalf("subscriptions = %+v, want one", got.Data.Subscriptions)
	}
	s := got.Data.Subscriptions[0]
	var plan struct {
		ID       int64  `json:"id"`
		Amount   int64  `json:"amount"`
		Currency string `json:"currency"`
	}
	if err := json.Unmarshal(s.Plan, &plan); err != nil || plan.ID != 4051 || plan.Amount != 1000 || plan.Currency != "usd" {
		t.Errorf("plan = %s, want plan 4051 as sold", s.Plan)
	}
	if s.Object != "subscription" || s.Status != "active" || s.Type != "regular" || s.Quantity != 1 || !s.AutoRenew ||
		s.CancelAtPeriodEnd || s.CurrentPeriodEnd <= s.CurrentPeriodStart || s.LatestInvoice == nil || !s.IsPaid {
		t.Errorf("subscription = %+v", s)
	}
	if len(got.Data.Invoices) != 1 || got.Data.Invoices[0].Status != "paid" ||
		got.Data.Invoices[0].BillingReason != "subscription_create" || *got.Data.Invoices[0].SubscriptionID != s.ID {
		t.Errorf("invoices = %+v, want the paid first invoice of subscription %d", got.Data.Invoices, s.ID)
	}
	// and she pays in the plan's currency, with the card the token became as her default, owing nothing late
	account := got.Data.CustomerAccount
	if account.Currency == nil || *account.Currency != "usd" || account.Delinquent || got.Data.Source == nil ||
		account.DefaultSourceID == nil || *account.DefaultSourceID != got.Data.Source.ID {
		t.Errorf("account fields = %+v with source %+v, want usd, not delinquent, the source's id", account, got.Data.Source)
	}
}

func subscriptionCreationRefusals(t *testing.T, w *subscriptionWorld) {
	token, _ := w.register(t, "ann2@example.com", "a-long-password")
	cases := []struct {
		name, body string
		status     int
		message    string
	}{
		{"an unknown plan", `{"plan_id":999,"gateway_token":"tok_visa"}`, 404, "Invalid plan provided"},
		{"a plan of some countries without an address", `{"plan_id":4060,"gateway_token":"tok_visa"}`, 404,
			"An address is required for this plan."},
		{"an unknown coupon", `{"plan_id":4051,"gateway_token":"tok_visa","coupon_code":"NOPE"}`, 404, "Invalid coupon provided"},
		{"a declined card", `{"plan_id":4051,"gateway_token":"tok_chargeDeclined"}`, 404, "Your card was declined."},
		{"a card declined at its first charge", `{"plan_id":4051,"gateway_token":"tok_chargeCustomerFail"}`, 404,
			"Your card was declined."},
		{"an invalid token", `{"plan_id":4051,"gateway_token":"nonsense"}`, 404, "Invalid payment token provided."},
		{"a token with a NUL", `{"plan_id":4051,"gateway_token":"tok_visa\u0000"}`, 404, "Invalid payment token provided."},
		{"no payment for a plan that costs", `{"plan_id":4051}`, 404, "A payment method is required for this plan"},
		{"invoicing a plan that may not be invoiced", `{"plan_id":4051,"pay_via_send_invoice":true}`, 404,
			"This plan cannot be paid by invoice"},
		{"another customer's source", `{"plan_id":4051,"source_id":999}`, 404, "Payment method not found."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// when the request is refused, then with its message and nothing charged
			before := w.charges(t)
			assertError(t, w.post("/subscription", token, tc.body, ""), tc.status, tc.message)
			if w.charges(t) != before {
				t.Errorf("a refused subscription charged the card")
			}
		})
	}
	// and a token given as no text (a boolean, list or object) is a field error, under either name; "" is no
	// token, and a number is its text, a token no gateway issued
	for _, body := range []string{`{"plan_id":4051,"gateway_token":true}`, `{"plan_id":4051,"stripe_token":{"id":"tok_visa"}}`,
		`{"plan_id":4051,"stripe_token":["tok_visa"]}`} {
		rec := w.post("/subscription", token, body, "")
		errs := decodeBody[validationBody](t, rec).Errors
		field := map[bool]string{true: "stripe_token", false: "gateway_token"}[strings.Contains(body, "stripe_token")]
		if rec.Code != 400 || len(errs[field]) != 1 || errs[field][0] != "The gateway token must be a string." {
			t.Errorf("POST /subscription %s = %d %s", body, rec.Code, rec.Body)
		}
	}
	assertError(t, w.post("/subscription", token, `{"plan_id":4051,"gateway_token":""}`, ""), 404,
		"A payment method is required for this plan")
	assertError(t, w.post("/subscription", token, `{"plan_id":4051,"gateway_token":123}`, ""), 404,
		"Invalid payment token provided.")
	// and a customer with nothing bought still has no subscription
	rec := w.post("/customer", token, "", "")
	if got := decodeBody[subscribed](t, rec); len(got.Data.Subscriptions)+len(got.Data.ExpiredSubscriptions) != 0 {
		t.Fatalf("after refusals: %s", rec.Body)
	}
}

func threeDSecureAtSubscriptionOverHTTP(t *testing.T, w *subscriptionWorld) {
	token, _ := w.register(t, "ann4@example.com", "a-long-password")
	// when the card asks for 3-D Secure
	rec := w.post("/subscription", token, `{"plan_id":4051,"gateway_token":"tok_threeDSecure2Required"}`, "")
	if rec.Code != http.StatusOK {
		t.Fatalf("status %d %s", rec.Code, rec.Body)
	}
	// then the answer carries the intents to complete and the subscription waits, incomplete
	got := decodeBody[subscribed](t, rec)
	if got.Meta == nil || got.Meta.PaymentIntent == nil || got.Meta.PaymentIntent.ClientSecret == "" || got.Meta.SetupIntent == nil {
		t.Fatalf("meta = %s", rec.Body)
	}
	if len(got.Data.Subscriptions) != 1 || got.Data.Subscriptions[0].Status != "incomplete" || got.Data.Subscriptions[0].IsPaid {
		t.Fatalf("subscriptions = %+v, want one incomplete", got.Data.Subscriptions)
	}
	// and it names its owner (user_id, spec 3.5)
	if got.Data.Subscriptions[0].UserID != got.Data.ID || got.Data.ID == 0 {
		t.Fatalf("user_id %d, want the customer's id %d", got.Data.Subscriptions[0].UserID, got.Data.ID)
	}
}

func creatingTwiceWithOneIdempotencyKeySubscribesOnce(t *testing.T, w *subscriptionWorld) {
	token, _ := w.register(t, "ann5@example.com", "a-long-password")
	body := `{"plan_id":4051,"gateway_token":"tok_visa"}`
	before := w.charges(t)
	// when the same request is sent twice with one key
	first := w.post("/subscription", token, body, "subscribe-once")
	assertRan(t, first, http.StatusOK)
	again := w.post("/subscription", token, body, "subscribe-once")
	// then the second gets the first answer, and one subscription was made and charged once
	assertReplay(t, first, again)
	if n := w.charges(t) - before; n != 1 {
		t.Fatalf("%d charges, want 1", n)
	}
	rec := w.post("/customer", token, "", "")
	if got := decodeBody[subscribed](t, rec); len(got.Data.Subscriptions) != 1 {
		t.Fatalf("subscriptions after two sends: %+v", got.Data.Subscriptions)
	}
	// and the key with another request is refused
	if rec := w.post("/subscription", token, `{"plan_id":4052}`, "subscribe-once"); rec.Code != http.StatusUnprocessableEntity {
		t.Fatalf("the key with another body: %d %s, want 422", rec.Code, rec.Body)
	}
}

func cancellingAndReactivatingOverHTTP(t *testing.T, w *subscriptionWorld) {
	token, _ := w.register(t, "ann6@example.com", "a-long-password")
	other, _ := w.register(t, "bo@example.com", "a-long-password")
	id := w.subscribe(t, token).Data.Subscriptions[0].ID
	body := func(extra string) string { return fmt.Sprintf(`{"subscription_id":%d%s}`, id, extra) }
	// refusals: 404 with a message, another customer's subscription as an unknown one
	assertError(t, w.post("/subscription/cancel", token, `{}`, ""), 404, "The subscription id field is required.")
	assertError(t, w.post("/subscription/reactivate", token, `{}`, ""), 404, "The subscription id field is required.")
	assertError(t, w.post("/subscription/cancel", token, `{"subscription_id":987654}`, ""), 404, "Invalid subscription provided")
	assertError(t, w.post("/subscription/cancel", other, body(""), ""), 404, "Invalid subscription provided")
	assertError(t, w.post("/subscription/reactivate", other, body(""), ""), 404, "Invalid subscription provided")
	assertError(t, w.post("/subscription/reactivate", token, body(""), ""), 404, "This subscription is not set to cancel")
	// a malformed body is a 400 on its field before any business rule, whoever's the subscription
	for _, bad := range []struct{ token, body, field string }{
		{token, body(`,"mode":"later"`), "mode"},
		{other, body(`,"mode":"later"`), "mode"},
		{token, `{"subscription_id":987654,"reason":"` + strings.Repeat("r", 256) + `"}`, "reason"},
	} {
		rec := w.post("/subscription/cancel", bad.token, bad.body, "")
		if rec.Code != http.StatusBadRequest || !strings.Contains(rec.Body.String(), `"`+bad.field+`":[`) {
			t.Fatalf("cancel %s: %d %s, want 400 on %s", bad.body, rec.Code, rec.Body, bad.field)
		}
	}
	// when Ann cancels, it runs until its period ends
	rec := w.post("/subscription/cancel", token, body(`,"reason":"moving"`), "")
	got := decodeBody[subscribed](t, rec)
	if rec.Code != http.StatusOK || len(got.Data.Subscriptions) != 1 || !got.Data.Subscriptions[0].CancelAtPeriodEnd ||
		*got.Data.Subscriptions[0].CancelReason != "moving" || got.Data.AuthToken == "" {
		t.Fatalf("cancel: %d %s", rec.Code, rec.Body)
	}
	// when she cancels again without a reason, nothing changes: the reason stays
	rec = w.post("/subscription/cancel", token, body(""), "")
	if got := decodeBody[subscribed](t, rec); rec.Code != http.StatusOK || got.Data.Subscriptions[0].CancelReason == nil ||
		*got.Data.Subscriptions[0].CancelReason != "moving" {
		t.Fatalf("cancel again: %d %s, want the reason moving kept", rec.Code, rec.Body)
	}
	// when she reactivates it, it renews again
	rec = w.post("/subscription/reactivate", token, body(""), "")
	if got := decodeBody[subscribed](t, rec); rec.Code != http.StatusOK || got.Data.Subscriptions[0].CancelAtPeriodEnd {
		t.Fatalf("reactivate: %d %s", rec.Code, rec.Body)
	}
	// when she cancels now, it ends at once and is expired
	rec = w.post("/subscription/cancel", token, body(`,"mode":"now"`), "")
	got = decodeBody[subscribed](t, rec)
	if rec.Code != http.StatusOK || len(got.Data.Subscriptions) != 0 || len(got.Data.ExpiredSubscriptions) != 1 ||
		got.Data.ExpiredSubscriptions[0].Status != "canceled" || got.Data.ExpiredSubscriptions[0].EndedAt == nil {
		t.Fatalf("cancel now: %d %s", rec.Code, rec.Body)
	}
	assertError(t, w.post("/subscription/cancel", token, body(""), ""), 404, "This subscription has ended.")
}

func aGiftShowsAmongTheDonorsGiftRecipients(t *testing.T, w *subscriptionWorld) {
	token, _ := w.register(t, "ann7@example.com", "a-long-password")
	// when Ann gives a gift
	rec := w.post("/subscription", token, `{"plan_id":4051,"gateway_token":"tok_visa","gift_recipient_email":"bo@example.com",
		"gift_recipient_first_name":"Bo","gift_start_date":"2030-05-01","gift_message":"Enjoy"}`, "")
	if rec.Code != http.StatusOK {
		t.Fatalf("gift: %d %s", rec.Code, rec.Body)
	}
	// then it is among her gift recipients with its code, not among her subscriptions
	got := decodeBody[subscribed](t, rec)
	if len(got.Data.Subscriptions) != 0 || len(got.Data.GiftRecipients) != 1 {
		t.Fatalf("answer: %s", rec.Body)
	}
	g := got.Data.GiftRecipients[0]
	if g.Type != "gift_donor" || g.GiftCode == nil || *g.Email != "bo@example.com" || *g.FirstName != "Bo" ||
		*g.StartDate != "2030-05-01" || !g.IsPaid || g.IsRedeemed || g.UserID != got.Data.ID {
		t.Fatalf("gift = %s", rec.Body)
	}
}
