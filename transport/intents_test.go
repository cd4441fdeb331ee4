package transport

import (
	"fmt"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stripe/stripe-go/v85/webhook"

	"github.com/pelcro-oss/pelcro-api/commands"
)

const testWebhookSecret = "whsec_test_secret"

// threeDSCard saves a card needing 3-D Secure for a new customer and returns the client, the card id and
// its setup intent id.
func threeDSCard(t *testing.T, deps Dependencies, world *customerWorld, email string) (*profileClient, string, string) {
	t.Helper()
	client := newProfileClient(t, deps)
	client.token, _ = world.register(t, email, customerPassword)
	id, card := cardOf(t, client.call(t, http.MethodPost, "/payment_methods", `{"token":"tok_threeDSecure2Required"}`, http.StatusCreated))
	intent, _ := card["setup_intent"].(map[string]any)
	if card["status"] != "pending" || intent["status"] != "requires_action" || intent["client_secret"] == "" {
		t.Fatalf("3-D Secure card = %v", card)
	}
	return client, id, intent["id"].(string)
}

// cardStatus is the status the customer's card shows.
func cardStatus(t *testing.T, client *profileClient, id string) any {
	t.Helper()
	_, card := cardOf(t, client.call(t, http.MethodGet, "/payment_methods/"+id, "", http.StatusOK))
	return card["status"]
}

func TestAPendingCardShowsTheSetupIntentItWaitsFor(t *testing.T) {
	t.Parallel()
	deps, world, gateway := walletStack(t)
	// given a card saved waiting for 3-D Secure, whose answer the front end lost
	client, id, intent := threeDSCard(t, deps, world, "ann@pendingsetup.example.com")
	get := func() map[string]any {
		_, card := cardOf(t, client.call(t, http.MethodGet, "/payment_methods/"+id, "", http.StatusOK))
		return card
	}
	// when it is read, then it comes with its setup intent, to resume the authentication
	card := get()
	setup, _ := card["setup_intent"].(map[string]any)
	if card["status"] != "pending" || setup["id"] != intent || setup["status"] != "requires_action" || setup["client_secret"] == "" {
		t.Fatalf("pending card = %v, want its setup intent %s", card, intent)
	}
	// and once the customer authenticated it, it is chargeable without one
	if _, err := gateway.Confirm(t.Context(), intent); err != nil {
		t.Fatal(err)
	}
	confirmed, err := deps.Intents.Confirm(t.Context(), commands.Envelope{CommandID: "confirm-" + intent}, intent)
	if err != nil {
		t.Fatal(err)
	}
	if err := deps.WaitForWallet(t.Context(), confirmed.Written()); err != nil {
		t.Fatal(err)
	}
	if card := get(); card["status"] != "chargeable" || card["setup_intent"] != nil {
		t.Errorf("confirmed card = %v, want chargeable without a setup intent", card)
	}
}

func TestThreeDSecureConfirmations(t *testing.T) {
	t.Parallel()
	deps, world, gateway := walletStack(t)
	deps.StripeWebhookSecret = testWebhookSecret
	router := newTestRouter(t, deps)
	checker := documentChecker(t)
	send := func(t *testing.T, req *http.Request) *http.Response {
		t.Helper()
		rec := serve(router, req)
		checker.CheckResponse(t, req, rec)
		return rec.Result()
	}
	t.Run("the return page confirms the customer's intent and goes back to the site", func(t *testing.T) {
		t.Parallel()
		client, id, intent := threeDSCard(t, deps, world, "ann@threedsreturn.example.com")
		other := newProfileClient(t, deps)
		other.token, _ = world.register(t, "bob@threedsreturn.example.com", customerPassword)
		returnTo := func(token, intent string) *http.Request {
			return request(http.MethodGet, ThreeDSecureReturnPath+"?"+url.Values{"auth_token": {token}, "setup_intent": {intent}}.Encode(), "", "")
		}
		// when the customer comes back before passing 3-D Secure, then they go back to the site, card pending
		if res := send(t, returnTo(client.token, intent)); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "https://example.com" {
			t.Fatalf("return = %d to %q", res.StatusCode, res.Header.Get("Location"))
		}
		if status := cardStatus(t, client, id); status != "pending" {
			t.Fatalf("status = %v before authentication", status)
		}
		// when another customer's token, a bad token or an unknown intent comes back, then nothing is confirmed
		_, _ = gateway.Confirm(t.Context(), intent)
		for _, req := range []*http.Request{returnTo(other.token, intent), returnTo(client.token, "seti_unknown")} {
			if res := send(t, req); res.StatusCode != http.StatusNotFound {
				t.Errorf("%s = %d, want 404", req.URL, res.StatusCode)
			}
		}
		// when neither setup_intent nor payment_intent comes back, then the missing field is told (400)
		for _, req := range []*http.Request{returnTo(client.token, ""),
			request(http.MethodGet, ThreeDSecureReturnPath+"?"+url.Values{"auth_token": {client.token}}.Encode(), "", "")} {
			rec := serve(router, req)
			checker.CheckResponse(t, req, rec)
			if got := decodeBody[validationBody](t, rec).Errors["payment_intent"]; rec.Code != 400 || len(got) != 1 ||
				got[0] != "The payment intent field is required." {
				t.Errorf("%s = %d %s, want 400 on payment_intent", req.URL, rec.Code, rec.Body)
			}
		}
		for token, message := range map[string]string{"not-a-token": "Invalid or expired token", "": "Token not provided"} {
			rec := serve(router, returnTo(token, intent))
			assertError(t, rec, http.StatusUnauthorized, message)
		}
		if status := cardStatus(t, client, id); status != "pending" {
			t.Fatalf("status = %v after foreign returns", status)
		}
		// when the customer passed it and comes back, then the card is chargeable once they are back
		if res := send(t, returnTo(client.token, intent)); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("return = %d", res.StatusCode)
		}
		if status := cardStatus(t, client, id); status != "chargeable" {
			t.Fatalf("status = %v after the return", status)
		}
	})
	t.Run("Stripe's webhook confirms a succeeded intent", func(t *testing.T) {
		t.Parallel()
		client, id, intent := threeDSCard(t, deps, world, "ann@threedswebhook.example.com")
		deliver := func(eventType, object, secret string) *http.Response {
			payload := fmt.Sprintf(`{"id":"evt_1","object":"event","type":%q,"data":{"object":{"id":%q,"object":%q}}}`,
				eventType, intent, object)
			signed := webhook.GenerateTestSignedPayload(&webhook.UnsignedPayload{Payload: []byte(payload), Secret: secret,
				Timestamp: time.Now()})
			req := request(http.MethodPost, StripeWebhookPath, "application/json", payload)
			req.Header.Set("Stripe-Signature", signed.Header)
			return send(t, req)
		}
		cases := []struct {
			name                      string
			eventType, object, secret string
			confirmAtGateway          bool
			want                      int
			status                    string
		}{
			{"a forged delivery is refused", "setup_intent.succeeded", "setup_intent", "whsec_forged", false, 400, "pending"},
			{"another event is received and ignored", "customer.created", "customer", testWebhookSecret, false, 200, "pending"},
			{"an intent the gateway does not call succeeded is delivered again", "setup_intent.succeeded", "setup_intent", testWebhookSecret, false, 503, "pending"},
			{"a succeeded intent is confirmed", "setup_intent.succeeded", "setup_intent", testWebhookSecret, true, 200, "chargeable"},
			{"a second delivery changes nothing", "setup_intent.succeeded", "setup_intent", testWebhookSecret, true, 200, "chargeable"},
		}
		for _, tc := range cases {
			if tc.confirmAtGateway {
				if _, err := gateway.Confirm(t.Context(), intent); err != nil {
					t.Fatal(err)
				}
			}
			if res := deliver(tc.eventType, tc.object, tc.secret); res.StatusCode != tc.want {
				t.Fatalf("%s: %d, want %d", tc.name, res.StatusCode, tc.want)
			}
			if status := cardStatus(t, client, id); status != tc.status {
				t.Fatalf("%s: card %v, want %s", tc.name, status, tc.status)
			}
		}
	})
}
