package transport

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// cardOf is the data of a payment method answer.
func cardOf(t *testing.T, answer map[string]any) (id string, card map[string]any) {
	t.Helper()
	card = profileData(t, answer)
	return fmt.Sprint(card["id"]), card
}

func TestPaymentMethods(t *testing.T) {
	t.Parallel()
	deps, world, _ := walletStack(t)
	t.Run("saved cards show in the wallet and the Customer", func(t *testing.T) { testCardsAreSaved(t, deps, world) })
	t.Run("declines and bad input", func(t *testing.T) { testCardRefusals(t, deps, world) })
	t.Run("update and delete rules", func(t *testing.T) { testCardUpdateAndDelete(t, deps, world) })
	t.Run("deprecated sources", func(t *testing.T) { testSources(t, deps, world) })
	t.Run("another customer's card is not found", func(t *testing.T) { testCardsArePerCustomer(t, deps, world) })
	t.Run("a retried save saves once", func(t *testing.T) { testRetriedSaveSavesOnce(t, deps, world) })
}

func testCardsAreSaved(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	client := newProfileClient(t, deps)
	client.token, _ = world.register(t, "ann@cardsaresaved.example.com", customerPassword)
	// when a visa is saved, then it is the chargeable default, not deletable
	visaID, visa := cardOf(t, client.call(t, http.MethodPost, "/payment_methods", `{"token":"tok_visa"}`, http.StatusCreated))
	properties := visa["properties"].(map[string]any)
	if visa["is_default"] != true || visa["status"] != "chargeable" || visa["deletable"] != false ||
		properties["last4"] != "4242" || properties["brand"] != "visa" || visa["object_gateway"] != "stripe" {
		t.Fatalf("visa = %v", visa)
	}
	// when a mastercard is saved (form-encoded), then it is not the default and may be deleted
	_, mastercard := cardOf(t, client.form(t, http.MethodPost, "/payment_methods", "token=tok_mastercard", http.StatusCreated))
	if mastercard["is_default"] != false || mastercard["deletable"] != true {
		t.Fatalf("mastercard = %v", mastercard)
	}
	// then the list has both, oldest first, and the Customer has them as sources, the visa as source
	list := client.call(t, http.MethodGet, "/payment_methods", "", http.StatusOK)["data"].([]any)
	customer := profileData(t, client.call(t, http.MethodPost, "/customer", "", http.StatusOK))
	sources := customer["sources"].([]any)
	if len(list) != 2 || len(sources) != 2 || fmt.Sprint(customer["source"].(map[string]any)["id"]) != visaID {
		t.Fatalf("list %v, sources %v, source %v", list, sources, customer["source"])
	}
}

func testCardRefusals(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	client := newProfileClient(t, deps)
	client.token, _ = world.register(t, "ann@cardrefusals.example.com", customerPassword)
	cases := []struct {
		body, language string
		status         int
		message        string
	}{
		{`{"token":"tok_chargeDeclined"}`, "", 404, "Your card was declined."},
		{`{"token":"tok_chargeDeclinedInsufficientFunds"}`, "", 404, "Your card has insufficient funds."},
		{`{"token":"tok_chargeDeclinedExpiredCard"}`, "", 404, "Your card has expired."},
		{`{"token":"tok_chargeDeclinedIncorrectCvc"}`, "", 404, "Your card's security code is incorrect."},
		{`{"token":"tok_chargeDeclinedProcessingError"}`, "", 404, "An error occurred while processing your card. Try again in a little bit."},
		{`{"token":"tok_nonsense"}`, "", 404, "Invalid payment token provided."},
		{`{"token":"tok_visa\u0000"}`, "", 404, "Invalid payment token provided."},
		{`{"token":"pm_card_visa\u0000"}`, "", 404, "Invalid payment token provided."},
		{`{"token":""}`, "", 404, "Invalid payment token provided."},
		{`{}`, "", 404, "Invalid payment token provided."},
		{`{"token":null}`, "", 404, "Invalid payment token provided."},
		{`{"token":"tok_chargeDeclined"}`, "fr", 404, "Votre carte a été refusée."},
		{`{"token":"tok_chargeDeclined"}`, "ko", 404, "카드가 거절되었습니다."},
	}
	for _, tc := range cases {
		path := "/payment_methods"
		if tc.language != "" {
			path += "?language=" + tc.language
		}
		answer := client.call(t, http.MethodPost, path, tc.body, tc.status)
		if got := profileErrorMessage(t, answer); got != tc.message {
			t.Errorf("%s (%s) = %q, want %q", tc.body, tc.language, got, tc.message)
		}
	}
	// a token with a NUL is an invalid token as a form value and on POST /source too, never a gateway outage
	answer := client.form(t, http.MethodPost, "/payment_methods", "token=tok_visa%00", 404)
	if got := profileErrorMessage(t, answer); got != "Invalid payment token provided." {
		t.Errorf("form token with a NUL = %q", got)
	}
	for _, body := range []string{`{"token":"tok_visa\u0000"}`, `{"token":"tok_mastercard\u0000x"}`} {
		if got := profileErrorMessage(t, client.call(t, http.MethodPost, "/source", body, 404)); got != "Invalid payment token provided." {
			t.Errorf("POST /source %s = %q", body, got)
		}
	}
	// a token given as no text (a boolean, list or object) is a field error, on POST /payment_methods and
	// POST /source alike; a number is its text, a token no gateway issued
	for _, path := range []string{"/payment_methods", "/source"} {
		for _, body := range []string{`{"token":true}`, `{"token":["tok_visa"]}`, `{"token":{"id":"tok_visa"}}`} {
			got := profileFieldMessages(t, client.call(t, http.MethodPost, path, body, 400), "token")
			if len(got) != 1 || got[0] != "The gateway token must be a string." {
				t.Errorf("POST %s %s: token messages %v", path, body, got)
			}
		}
		if got := profileErrorMessage(t, client.call(t, http.MethodPost, path, `{"token":123}`, 404)); got != "Invalid payment token provided." {
			t.Errorf("POST %s with a number as the token = %q", path, got)
		}
	}
	// a gateway not served here and a non-boolean is_default are field errors
	answer = client.call(t, http.MethodPost, "/payment_methods", `{"token":"tok_visa","payment_gateway":"braintree"}`, 400)
	if got := profileFieldMessages(t, answer, "payment_gateway"); len(got) != 1 {
		t.Errorf("payment_gateway messages = %v", got)
	}
	client.call(t, http.MethodPost, "/payment_methods", `{"token":"tok_visa","is_default":"maybe"}`, 400)
	// and no refused card was saved
	if list := client.call(t, http.MethodGet, "/payment_methods", "", 200)["data"].([]any); len(list) != 0 {
		t.Fatalf("cards after refusals: %v", list)
	}
}

func testCardUpdateAndDelete(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	client := newProfileClient(t, deps)
	client.token, _ = world.register(t, "ann@cardupdate.example.com", customerPassword)
	first, _ := cardOf(t, client.call(t, http.MethodPost, "/payment_methods", `{"token":"tok_visa"}`, 201))
	second, _ := cardOf(t, client.call(t, http.MethodPost, "/payment_methods", `{"token":"tok_amex"}`, 201))
	// the default cannot be deleted
	answer := client.call(t, http.MethodDelete, "/payment_methods/"+first, "", 400)
	if !strings.HasPrefix(profileErrorMessage(t, answer), "The default payment method cannot be deleted.") {
		t.Fatalf("delete default = %v", answer)
	}
	// an update needs is_default or payment_gateway; a gateway needs an expiry, not a past one
	for body, field := range map[string]string{`{}`: "is_default", `{"payment_gateway":"stripe"}`: "exp_month",
		`{"payment_gateway":"stripe","exp_month":13,"exp_year":2031}`:  "exp_month",
		`{"payment_gateway":"stripe","exp_month":1,"exp_year":2001}`:   "exp_year",
		`{"payment_gateway":"stripe","exp_month":"x","exp_year":2031}`: "exp_month",
		`{"payment_gateway":"stripe","exp_month":5,"exp_year":31}`:     "exp_year"} {
		blamed, _ := client.call(t, http.MethodPut, "/payment_methods/"+second, body, 400)["errors"].(map[string]any)
		if blamed[field] == nil {
			t.Errorf("PUT %s: no message for %s", body, field)
		}
		// and, of a month and a year both given, only the one at fault is blamed
		other := map[string]string{"exp_month": "exp_year", "exp_year": "exp_month"}[field]
		if strings.Contains(body, `"exp_month"`) && strings.Contains(body, `"exp_year"`) && blamed[other] != nil {
			t.Errorf("PUT %s: %s blamed too: %v", body, other, blamed)
		}
	}
	// when the second becomes the default with a new expiry, then the first is no longer the default
	_, updated := cardOf(t, client.call(t, http.MethodPut, "/payment_methods/"+second,
		`{"is_default":true,"payment_gateway":"stripe","exp_month":"7","exp_year":2031}`, 200))
	if updated["is_default"] != true || updated["properties"].(map[string]any)["exp_month"] != float64(7) {
		t.Fatalf("updated = %v", updated)
	}
	// and the first can be deleted: softly, with deleted_at, out of the list
	_, deleted := cardOf(t, client.call(t, http.MethodDelete, "/payment_methods/"+first, "", 200))
	if deleted["deleted_at"] == nil || deleted["status"] != "canceled" || deleted["deletable"] != false {
		t.Fatalf("deleted = %v", deleted)
	}
	if list := client.call(t, http.MethodGet, "/payment_methods", "", 200)["data"].([]any); len(list) != 1 {
		t.Fatalf("list after delete = %v", list)
	}
	client.call(t, http.MethodDelete, "/payment_methods/"+first, "", 404)
	client.call(t, http.MethodPut, "/payment_methods/"+first, `{"is_default":true}`, 404)
}

func testSources(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	client := newProfileClient(t, deps)
	token, _ := world.register(t, "ann@sources.example.com", customerPassword)
	client.token = token
	client.call(t, http.MethodPost, "/payment_methods", `{"token":"tok_visa"}`, 201)
	// when a source is created, then it is the Customer's source (the default), with a fresh JWT
	answer := client.call(t, http.MethodPost, "/source", `{"token":"tok_mastercard"}`, 200)
	client.token = profileFreshToken(t, answer, token)
	source := profileData(t, answer)["source"].(map[string]any)
	if source["properties"].(map[string]any)["brand"] != "mastercard" {
		t.Fatalf("source = %v", source)
	}
	id := fmt.Sprint(source["id"])
	// when its expiry changes, then the Customer shows it
	answer = client.call(t, http.MethodPut, "/source/"+id, `{"cc_exp":"11/39"}`, 200)
	properties := profileData(t, answer)["source"].(map[string]any)["properties"].(map[string]any)
	if properties["exp_month"] != float64(11) || properties["exp_year"] != float64(2039) {
		t.Fatalf("properties = %v", properties)
	}
	for body, message := range map[string]string{`{}`: "The cc exp field is required.",
		`{"cc_exp":null}`: "The cc exp field is required.", `{"cc_exp":""}`: "The cc exp field is required.",
		`{"cc_exp":"13/39"}`: "The cc exp does not match the format MM/YY.", `{"cc_exp":"2039-11"}`: "The cc exp does not match the format MM/YY.",
		`{"cc_exp":"01/20"}`: "The cc exp must be a date in the future."} {
		if got := profileFieldMessages(t, client.call(t, http.MethodPut, "/source/"+id, body, 400), "cc_exp"); len(got) != 1 || got[0] != message {
			t.Errorf("PUT /source %s = %v, want %q", body, got, message)
		}
	}
	client.call(t, http.MethodPut, "/source/999999", `{"cc_exp":"11/39"}`, 404)
	client.call(t, http.MethodPut, "/source/x", `{"cc_exp":"11/39"}`, 404)
}

func testCardsArePerCustomer(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	ann, bob := newProfileClient(t, deps), newProfileClient(t, deps)
	ann.token, _ = world.register(t, "ann@percustomer.example.com", customerPassword)
	bob.token, _ = world.register(t, "bob@percustomer.example.com", customerPassword)
	id, _ := cardOf(t, ann.call(t, http.MethodPost, "/payment_methods", `{"token":"tok_visa"}`, 201))
	bob.call(t, http.MethodGet, "/payment_methods/"+id, "", 404)
	bob.call(t, http.MethodPut, "/payment_methods/"+id, `{"is_default":true}`, 404)
	bob.call(t, http.MethodDelete, "/payment_methods/"+id, "", 404)
	bob.call(t, http.MethodPut, "/source/"+id, `{"cc_exp":"11/39"}`, 404)
	for _, path := range []string{"/payment_methods/0", "/payment_methods/-1", "/payment_methods/abc", "/payment_methods/99999999999999999999"} {
		bob.call(t, http.MethodGet, path, "", 404)
	}
	// and Ann's card is named by its id's canonical form only: no leading zero, no sign
	ann.call(t, http.MethodGet, "/payment_methods/"+id, "", 200)
	for _, other := range []string{"0" + id, "+" + id, "00" + id} {
		ann.call(t, http.MethodGet, "/payment_methods/"+other, "", 404)
		ann.call(t, http.MethodPut, "/payment_methods/"+other, `{"is_default":true}`, 404)
		ann.call(t, http.MethodDelete, "/payment_methods/"+other, "", 404)
		ann.call(t, http.MethodPut, "/source/"+other, `{"cc_exp":"11/39"}`, 404)
	}
	if list := bob.call(t, http.MethodGet, "/payment_methods", "", 200)["data"].([]any); len(list) != 0 {
		t.Fatalf("bob sees %v", list)
	}
	// and nobody without a token sees anything
	anonymous := newProfileClient(t, deps)
	anonymous.call(t, http.MethodGet, "/payment_methods", "", 401)
}

func testRetriedSaveSavesOnce(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	client := newProfileClient(t, deps)
	client.token, _ = world.register(t, "ann@retriedsave.example.com", customerPassword)
	send := func() *http.Request {
		req := withKey(request(http.MethodPost, profileTarget("/payment_methods"), "application/json", `{"token":"tok_visa"}`), "save-visa-once")
		return req
	}
	first := client.send(t, send(), 201)
	replayed := client.send(t, send(), 201)
	assertReplay(t, first, replayed)
	if list := client.call(t, http.MethodGet, "/payment_methods", "", 200)["data"].([]any); len(list) != 1 {
		t.Fatalf("cards after a retried save: %v", list)
	}
}
