package transport

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"
)

func testGetCustomerAnswersWithTheTokenSent(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	client := newProfileClient(t, deps)
	token, id := world.register(t, "ann@getcustomeranswerswiththetoken.example.com", customerPassword)

	// given no token, a forged one and another customer's token of the same account
	client.call(t, http.MethodPost, "/customer", "", http.StatusUnauthorized)
	client.token = "not.a.jwt"
	if got := profileErrorMessage(t, client.call(t, http.MethodPost, "/customer", "", http.StatusUnauthorized)); got != "Invalid or expired token" {
		t.Fatalf("forged token message = %q", got)
	}
	// when the customer asks for themselves, then the answer is their resource with the very token sent
	client.token = token
	data := profileData(t, client.call(t, http.MethodPost, "/customer", "", http.StatusOK))
	if data["id"] != float64(id) || data["email"] != "ann@getcustomeranswerswiththetoken.example.com" || data["auth_token"] != token || data["token"] != token {
		t.Fatalf("customer = %v, want id %d with the token sent", data, id)
	}
	if data["profile_photo"] != nil || len(data["addresses"].([]any)) != 0 {
		t.Fatalf("a new customer has photo %v and addresses %v", data["profile_photo"], data["addresses"])
	}
}

func testRefreshRevokesTheTokenItReplaces(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	client := newProfileClient(t, deps)
	old, _ := world.register(t, "ann@refreshrevokesthetokenitreplac.example.com", customerPassword)
	client.token = old

	// when the customer refreshes, then the answer holds a new token that works
	fresh := profileFreshToken(t, client.call(t, http.MethodPost, "/customer/refresh", "", http.StatusOK), old)
	client.token = fresh
	client.call(t, http.MethodPost, "/customer", "", http.StatusOK)
	// and the old token is refused as blacklisted, in the caller's language too
	client.token = old
	if got := profileErrorMessage(t, client.call(t, http.MethodPost, "/customer", "", http.StatusForbidden)); got != "Authentication token has been blacklisted, please try again" {
		t.Fatalf("revoked token message = %q", got)
	}
	client.call(t, http.MethodPost, "/customer/refresh", "", http.StatusForbidden)
}

func testUpdateCustomerChangesOnlyTheFieldsSent(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	client := newProfileClient(t, deps)
	token, _ := world.register(t, "ann@updatecustomerchangesonlythefi.example.com", customerPassword)
	client.token = token

	// when the profile is updated, then the answer reflects it at once, with a fresh JWT
	answer := client.call(t, http.MethodPut, "/customer", `{"first_name":" Ann ","last_name":"Lee","phone":"+1 (555) 010-9999",
		"username":"ann_lee","email_hardbounce":true,"language":"fr-CA","metadata":{"plan":"gold","visits":3,"tags":["a"]}}`, http.StatusOK)
	client.token = profileFreshToken(t, answer, token)
	data := profileData(t, answer)
	want := map[string]any{"first_name": "Ann", "last_name": "Lee", "name": "Ann Lee", "phone": "+15550109999",
		"username": "ann_lee", "email_hardbounce": true, "language": "fr", "email": "ann@updatecustomerchangesonlythefi.example.com"}
	for field, value := range want {
		if data[field] != value {
			t.Fatalf("%s = %v, want %v (customer %v)", field, data[field], value, data)
		}
	}
	// when metadata is sent again, then it is merged and a null value removes its key
	data = profileData(t, client.call(t, http.MethodPut, "/customer", `{"metadata":{"visits":null,"tier":1}}`, http.StatusOK))
	if got := data["metadata"]; !reflect.DeepEqual(got, map[string]any{"plan": "gold", "tier": 1.0, "tags": []any{"a"}}) {
		t.Fatalf("metadata = %v", got)
	}
	if data["first_name"] != "Ann" {
		t.Fatalf("a field not sent changed: first_name = %v", data["first_name"])
	}
	// when a form body sets metadata[key], then that key is set as text and the others kept
	data = profileData(t, client.form(t, http.MethodPut, "/customer", "metadata[tier]=2&metadata[color]=blue&title=Dr", http.StatusOK))
	if got := data["metadata"].(map[string]any); got["tier"] != "2" || got["color"] != "blue" || got["plan"] != "gold" || data["title"] != "Dr" {
		t.Fatalf("after the form update: metadata %v, title %v", got, data["title"])
	}
	// when an empty text is sent, then the field is emptied (null in the resource)
	if data = profileData(t, client.call(t, http.MethodPut, "/customer", `{"title":""}`, http.StatusOK)); data["title"] != nil {
		t.Fatalf("emptied title = %v, want null", data["title"])
	}
}

func testUpdateCustomerRefusesBrokenFields(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	client := newProfileClient(t, deps)
	world.register(t, "bob@updatecustomerrefusesbrokenfie.example.com", customerPassword)
	token, _ := world.register(t, "ann@updatecustomerrefusesbrokenfie.example.com", customerPassword)
	client.token = token
	client.call(t, http.MethodPut, "/customer", `{"username":"bob_1"}`, http.StatusOK)
	otherToken, _ := world.register(t, "cid@updatecustomerrefusesbrokenfie.example.com", customerPassword)

	cases := []struct {
		name, body, field, message string
	}{
		{"text given an object", `{"first_name":{"a":1}}`, "first_name", "The first name must be a string."},
		{"email given an array", `{"email":["a@updatecustomerrefusesbrokenfie.example.com"]}`, "email", "The email must be a string."},
		{"hardbounce not a boolean", `{"email_hardbounce":"maybe"}`, "email_hardbounce", "The email hardbounce field must be true or false."},
		{"metadata not an object", `{"metadata":"gold"}`, "metadata", "The metadata must be an object."},
		{"metadata an array", `{"metadata":[1]}`, "metadata", "The metadata must be an object."},
		{"malformed email", `{"email":"ann@"}`, "email", "The email must be a valid email address."},
		{"blank email", `{"email":"  "}`, "email", "The email field is required."},
		{"email taken in the account", `{"email":"BOB@updatecustomerrefusesbrokenfie.example.com"}`, "email", "The email has already been taken."},
		{"username format", `{"username":"ann lee"}`, "username", "The username may only contain letters, numbers, dashes and underscores."},
		{"phone too short", `{"phone":"12"}`, "phone", "The phone must contain between 5 and 20 digits."},
		{"phone not a number", `{"phone":"abc"}`, "phone", "The phone must be a number."},
		{"too long", `{"last_name":"` + strings.Repeat("x", 256) + `"}`, "last_name", "The last name may not be greater than 255 characters."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			answer := client.call(t, http.MethodPut, "/customer", tc.body, http.StatusBadRequest)
			if got := profileFieldMessages(t, answer, tc.field); len(got) != 1 || got[0] != tc.message {
				t.Fatalf("%s messages = %v, want [%s]", tc.field, got, tc.message)
			}
		})
	}
	t.Run("username taken by another customer", func(t *testing.T) {
		t.Parallel()
		other := *client
		other.token = otherToken
		answer := other.call(t, http.MethodPut, "/customer", `{"username":"BOB_1"}`, http.StatusBadRequest)
		if got := profileFieldMessages(t, answer, "username"); got[0] != "The username has already been taken." {
			t.Fatalf("username messages = %v", got)
		}
	})
	t.Run("in French", func(t *testing.T) {
		t.Parallel()
		req := request(http.MethodPut, profileTarget("/customer"), "application/json", `{"first_name":[]}`)
		req.Header.Set("Accept-Language", "fr-CA,fr;q=0.9")
		rec := client.send(t, req, http.StatusBadRequest)
		if got := rec.Header().Get("Content-Language"); got != "fr" {
			t.Fatalf("Content-Language = %q, want fr", got)
		}
		answer := decodeBody[map[string]any](t, rec)
		if got := profileFieldMessages(t, answer, "first_name"); got[0] != "Le champ prénom doit être une chaîne de caractères." {
			t.Fatalf("French message = %v", got)
		}
	})
}

func testUpdateOfACustomerThatDoesNotExistIsRefusedAsABadToken(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	deps.Catalog = profileVerifyingCatalog{deps.Catalog}
	client := newProfileClient(t, deps)
	token, _ := world.register(t, "ann@updateofacustomerthatdoesnotex.example.com", customerPassword)
	claims, err := world.tokens.Parse(token)
	if err != nil {
		t.Fatal(err)
	}
	// given a well-signed token of the account for a customer that does not exist
	if client.token, _, err = world.tokens.Issue(claims.CustomerID+1000, claims.AccountID, time.Hour); err != nil {
		t.Fatal(err)
	}
	// when it changes the email, then the token is refused
	answer := client.call(t, http.MethodPut, "/customer", `{"email":"nobody@updateofacustomerthatdoesnotex.example.com"}`, http.StatusUnauthorized)
	if got := profileErrorMessage(t, answer); got != "Invalid or expired token" {
		t.Fatalf("message = %q", got)
	}
}

// TestCustomerProfileEndpoints runs the profile tests (#10–#12) on one stack, as one database per test
// would exhaust the connections of the shared PostgreSQL; each test registers its own customers.
func TestCustomerProfileEndpoints(t *testing.T) {
	t.Parallel()
	deps, world := customerStack(t)
	for _, test := range []struct {
		name string
		run  func(*testing.T, Dependencies, *customerWorld)
	}{
		{"get customer answers with the token sent", testGetCustomerAnswersWithTheTokenSent},
		{"refresh revokes the token it replaces", testRefreshRevokesTheTokenItReplaces},
		{"one token never forks under concurrent requests", testOneTokenNeverForksUnderConcurrentRequests},
		{"update customer changes only the fields sent", testUpdateCustomerChangesOnlyTheFieldsSent},
		{"update customer refuses broken fields", testUpdateCustomerRefusesBrokenFields},
		{"update of a customer that does not exist is refused as a bad token", testUpdateOfACustomerThatDoesNotExistIsRefusedAsABadToken},
		{"control characters are refused with a field message", testControlCharactersAreRefusedWithAFieldMessage},
		{"lookalike emails are one account", testLookalikeEmailsAreOneAccount},
	} {
		t.Run(test.name, func(t *testing.T) { test.run(t, deps, world) })
	}
}
