package transport

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/queries"
)

func TestPayingAnInvoice(t *testing.T) {
	t.Parallel()
	_, world := invoiceStack(t)
	checker := documentChecker(t)
	cases := []struct {
		name, email string
		body        func(t *testing.T, token string) string
	}{
		{"with a saved source", "ann@paywithsource.example.com", func(t *testing.T, token string) string {
			return fmt.Sprintf(`{"source_id":%d}`, world.saveCard(t, token, "tok_visa"))
		}},
		{"with a gateway token", "ann@paywithtoken.example.com", func(*testing.T, string) string {
			return `{"payment_gateway":"stripe","gateway_token":"tok_visa"}`
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a customer with an open invoice of 12.50 usd
			token, id := world.register(t, tc.email, customerPassword)
			invoiceID := world.open(t, id, 1250)
			// when they pay it
			req := world.request(http.MethodPost, fmt.Sprintf("/invoices/%d/pay?site_id=%d", invoiceID, customerSite), token, tc.body(t, token))
			rec := serve(world.router, req)
			// then the answer is the Customer, with a fresh token, the invoice paid and its charge
			if rec.Code != http.StatusOK {
				t.Fatalf("pay: %d %s", rec.Code, rec.Body)
			}
			checker.CheckResponse(t, req, rec)
			paid := decodeBody[paidCustomer](t, rec)
			if paid.Data.ID != id || paid.Data.AuthToken == "" || paid.Data.AuthToken == token || paid.Meta != nil {
				t.Fatalf("answer = %+v, want customer %d with a fresh token and no meta", paid, id)
			}
			if len(paid.Data.Invoices) != 1 || len(paid.Data.Charges) != 1 {
				t.Fatalf("invoices %+v, charges %+v: want one of each", paid.Data.Invoices, paid.Data.Charges)
			}
			inv, charge := paid.Data.Invoices[0], paid.Data.Charges[0]
			if inv.ID != invoiceID || inv.Status != "paid" || inv.Total != 1250 || inv.AmountPaid != 1250 || inv.AmountDue != 0 ||
				inv.Currency != "usd" || inv.PaidAt == nil || inv.AttemptCount != 1 || inv.BillingReason != "manual" {
				t.Errorf("invoice = %+v, want invoice %d paid 1250 usd", inv, invoiceID)
			}
			if charge.InvoiceID != invoiceID || charge.Amount != 1250 || charge.Currency != "usd" || charge.Brand != "visa" ||
				charge.Last4 != "4242" || charge.Status != "succeeded" || charge.ID == "" {
				t.Errorf("charge = %+v, want the visa's 1250 usd for invoice %d", charge, invoiceID)
			}
		})
	}
}

// fieldWording is the field error of the pay refusals checked word for word, by case.
var fieldWording = map[string]string{
	"neither source nor token":         "The source id field is required when gateway token is not present.",
	"a source id that is not a number": "The source id must be an integer.",
	"a source id of 0":                 "The source id must be at least 1.",
	"a negative source id":             "The source id must be at least 1.",
	"an empty token, as none":          "The source id field is required when gateway token is not present.",
	"a token that is a boolean":        "The gateway token must be a string.",
	"a token that is a list":           "The gateway token must be a string.",
	"a token that is not text":         "The gateway token must be a string.",
}

func TestInvoicePayRefusals(t *testing.T) {
	t.Parallel()
	_, world := invoiceStack(t)
	checker := documentChecker(t)
	token, id := world.register(t, "ann@payrefusals.example.com", customerPassword)
	bobToken, bob := world.register(t, "bob@payrefusals.example.com", customerPassword)
	open := world.open(t, id, 1250)
	bobs := world.open(t, bob, 700)
	bobsCard := world.saveCard(t, bobToken, "tok_visa")
	pendingCard := world.saveCard(t, token, "tok_threeDSecure2Required")
	paid, void, uncollectible := world.open(t, id, 100), world.open(t, id, 200), world.open(t, id, 300)
	if rec := world.pay(paid, token, `{"payment_gateway":"stripe","gateway_token":"tok_visa"}`); rec.Code != http.StatusOK {
		t.Fatalf("pay: %d %s", rec.Code, rec.Body)
	}
	if _, err := world.invoices.Void(t.Context(), commands.Envelope{CommandID: "void-" + t.Name()}, void); err != nil {
		t.Fatal(err)
	}
	if _, err := world.invoices.MarkUncollectible(t.Context(), commands.Envelope{CommandID: "give-up-" + t.Name()}, uncollectible); err != nil {
		t.Fatal(err)
	}
	declined := `{"payment_gateway":"stripe","gateway_token":"tok_chargeDeclinedInsufficientFunds"}`
	cases := []struct {
		name    string
		invoice any
		token   string
		body    string
		status  int
		message string // the single error's message, or the field of a validation error
	}{
		{"neither source nor token", open, token, `{}`, 400, "source_id"},
		{"an empty token, as none", open, token, `{"payment_gateway":"stripe","gateway_token":""}`, 400, "source_id"},
		{"a null token, as none", open, token, `{"payment_gateway":"stripe","gateway_token":null}`, 400, "source_id"},
		{"a token that is a boolean", open, token, `{"payment_gateway":"stripe","gateway_token":true}`, 400, "gateway_token"},
		{"a token that is a number, as its text", open, token, `{"payment_gateway":"stripe","gateway_token":123}`, 404,
			"Invalid payment token provided."},
		{"a token that is a list", open, token, `{"payment_gateway":"stripe","gateway_token":["tok_visa"]}`, 400, "gateway_token"},
		{"a source id that is not a number", open, token, `{"source_id":"abc"}`, 400, "source_id"},
		{"a source id of 0", open, token, `{"source_id":0}`, 400, "source_id"},
		{"a negative source id", open, token, `{"source_id":-5}`, 400, "source_id"},
		{"a token without its gateway", open, token, `{"gateway_token":"tok_visa"}`, 400, "payment_gateway"},
		{"a token that is not text", open, token, `{"payment_gateway":"stripe","gateway_token":{"a":1}}`, 400, "gateway_token"},
		{"a gateway not served", open, token, `{"payment_gateway":"braintree","gateway_token":"tok_visa"}`, 400, "payment_gateway"},
		{"an unknown invoice", 987654, token, `{"source_id":1}`, 404, "Invoice not found."},
		{"an invoice id that is not a number", "abc", token, `{"source_id":1}`, 404, "Invoice not found."},
		{"an invoice id with a leading zero", fmt.Sprint("0", open), token, `{"payment_gateway":"stripe","gateway_token":"tok_visa"}`, 404, "Invoice not found."},
		{"an invoice id with a sign", fmt.Sprint("+", open), token, `{"payment_gateway":"stripe","gateway_token":"tok_visa"}`, 404, "Invoice not found."},
		{"another customer's invoice", bobs, token, `{"payment_gateway":"stripe","gateway_token":"tok_visa"}`, 404, "Invoice not found."},
		{"another customer's source", open, token, fmt.Sprintf(`{"source_id":%d}`, bobsCard), 404, "Payment method not found."},
		{"a card still waiting for its 3-D Secure setup", open, token, fmt.Sprintf(`{"source_id":%d}`, pendingCard), 404,
			"This payment method is waiting for 3-D Secure authentication. Complete it before paying with it."},
		{"a declined card", open, token, declined, 404, "Your card has insufficient funds."},
		{"an invalid token", open, token, `{"payment_gateway":"stripe","gateway_token":"tok_nope"}`, 404, "Invalid payment token provided."},
		{"a token with a NUL", open, token, `{"payment_gateway":"stripe","gateway_token":"tok_visa\u0000"}`, 404, "Invalid payment token provided."},
		{"a paid invoice", paid, token, `{"payment_gateway":"stripe","gateway_token":"tok_visa"}`, 400, "This invoice has already been paid."},
		{"a void invoice", void, token, `{"payment_gateway":"stripe","gateway_token":"tok_visa"}`, 400, "This invoice is void and cannot be paid."},
		{"an uncollectible invoice", uncollectible, token, `{"payment_gateway":"stripe","gateway_token":"tok_visa"}`, 400,
			"This invoice is marked uncollectible and cannot be paid."},
		{"no token", open, "", `{"source_id":1}`, 401, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// when the customer pays so
			req := world.request(http.MethodPost, fmt.Sprintf("/invoices/%v/pay?site_id=%d", tc.invoice, customerSite), tc.token, tc.body)
			rec := serve(world.router, req)
			// then the refusal is the documented one
			checker.CheckResponse(t, req, rec)
			switch {
			case tc.status == 400 && tc.message[0] >= 'a':
				errs := decodeBody[validationBody](t, rec).Errors
				if rec.Code != 400 || len(errs[tc.message]) != 1 {
					t.Fatalf("answer %d %s, want a 400 on %s", rec.Code, rec.Body, tc.message)
				}
				if want := fieldWording[tc.name]; want != "" && errs[tc.message][0] != want {
					t.Errorf("%s: %q, want %q", tc.message, errs[tc.message][0], want)
				}
			case tc.message != "":
				assertError(t, rec, tc.status, tc.message)
			case rec.Code != tc.status:
				t.Fatalf("status = %d, want %d", rec.Code, tc.status)
			}
		})
	}
	// and the refused invoice is still open, nothing charged but the paid one
	c, err := queries.Customers{DB: world.db}.Customer(t.Context(), id)
	if err != nil {
		t.Fatal(err)
	}
	for _, inv := range c.Invoices {
		if inv.ID == open && inv.Status != "open" {
			t.Errorf("invoice %d is %s after the refusals, want open", open, inv.Status)
		}
	}
	if n := world.charges(t); n != 1 {
		t.Errorf("charges = %d, want 1", n)
	}
}

func TestADeclineIsWordedInTheCustomersLanguage(t *testing.T) {
	t.Parallel()
	_, world := invoiceStack(t)
	token, id := world.register(t, "ann@declinelanguage.example.com", customerPassword)
	invoiceID := world.open(t, id, 1250)
	// when a French speaker's card is refused
	rec := world.call(http.MethodPost, fmt.Sprintf("/invoices/%d/pay?site_id=%d&language=fr", invoiceID, customerSite), token,
		`{"payment_gateway":"stripe","gateway_token":"tok_chargeDeclinedExpiredCard"}`)
	// then they read why in French
	assertError(t, rec, http.StatusNotFound, "Votre carte a expiré.")
}

func TestAThreeDSecurePaymentAnswersItsIntent(t *testing.T) {
	t.Parallel()
	_, world := invoiceStack(t)
	checker := documentChecker(t)
	token, id := world.register(t, "ann@paythreeds.example.com", customerPassword)
	invoiceID := world.open(t, id, 1250)
	// when the invoice is paid with a card needing 3-D Secure
	req := world.request(http.MethodPost, fmt.Sprintf("/invoices/%d/pay?site_id=%d", invoiceID, customerSite), token,
		`{"payment_gateway":"stripe","gateway_token":"tok_threeDSecure2Required"}`)
	rec := serve(world.router, req)
	// then the Customer comes with a payment intent requiring action, and the invoice is still open
	checker.CheckResponse(t, req, rec)
	answer := decodeBody[paidCustomer](t, rec)
	if rec.Code != http.StatusOK || answer.Meta == nil || answer.Meta.PaymentIntent.Status != "requires_action" ||
		answer.Meta.PaymentIntent.Kind != "payment_intent" || answer.Meta.PaymentIntent.ClientSecret == "" {
		t.Fatalf("pay = %d %s, want a payment intent requiring action", rec.Code, rec.Body)
	}
	if inv := answer.Data.Invoices; len(inv) != 1 || inv[0].Status != "open" || len(answer.Data.Charges) != 0 {
		t.Fatalf("before authentication: invoices %+v, charges %+v", inv, answer.Data.Charges)
	}
	// when the customer authenticates and the confirmation comes
	intentID := answer.Meta.PaymentIntent.ID
	if _, err := world.sandbox.Confirm(t.Context(), intentID); err != nil {
		t.Fatal(err)
	}
	confirmed, err := world.intents.Confirm(t.Context(), commands.Envelope{CommandID: "confirm-" + intentID}, intentID)
	if err != nil {
		t.Fatal(err)
	}
	// then the invoice is paid
	if err := world.waitForInvoices(t.Context(), confirmed.Written()); err != nil {
		t.Fatal(err)
	}
	c, err := queries.Customers{DB: world.db}.Customer(t.Context(), id)
	if err != nil || len(c.Invoices) != 1 || c.Invoices[0].Status != "paid" || len(c.Charges) != 1 {
		t.Fatalf("after authentication: %+v, %v", c.Invoices, err)
	}
}

func TestARetriedPayWithTheSameKeyChargesOnce(t *testing.T) {
	t.Parallel()
	_, world := invoiceStack(t)
	token, id := world.register(t, "ann@payidempotent.example.com", customerPassword)
	invoiceID := world.open(t, id, 1250)
	body := `{"payment_gateway":"stripe","gateway_token":"tok_visa"}`
	// when the same pay is sent four times at once, then again, under one Idempotency-Key
	recs := make([]*httptest.ResponseRecorder, 5)
	var wg sync.WaitGroup
	for i := range 4 {
		wg.Go(func() {
			req := world.request(http.MethodPost, fmt.Sprintf("/invoices/%d/pay?site_id=%d", invoiceID, customerSite), token, body)
			recs[i] = serve(world.router, withKey(req, "pay-invoice-once"))
		})
	}
	wg.Wait()
	req := world.request(http.MethodPost, fmt.Sprintf("/invoices/%d/pay?site_id=%d", invoiceID, customerSite), token, body)
	recs[4] = serve(world.router, withKey(req, "pay-invoice-once"))
	// then one request ran, every other answer that is not a 409 (it waited past the limit) replays it, and
	// the customer was charged once
	var ran []*httptest.ResponseRecorder
	for _, rec := range recs {
		if rec.Code != http.StatusConflict && rec.Header().Get(idempotentReplayedHeader) == "" {
			ran = append(ran, rec)
		}
	}
	if len(ran) != 1 || ran[0].Code != http.StatusOK {
		t.Fatalf("%d requests ran, want one answering 200", len(ran))
	}
	for _, rec := range recs {
		if rec != ran[0] && rec.Code != http.StatusConflict {
			assertReplay(t, ran[0], rec)
		}
	}
	if n := world.charges(t); n != 1 {
		t.Fatalf("charges = %d, want 1", n)
	}
}
