package transport

import (
	"fmt"
	"net/http"
	"strings"
	"testing"
)

// addressesOf returns a Customer's addresses by id.
func addressesOf(t *testing.T, data map[string]any) map[int64]map[string]any {
	t.Helper()
	out := map[int64]map[string]any{}
	for _, a := range data["addresses"].([]any) {
		address := a.(map[string]any)
		out[int64(address["id"].(float64))] = address
	}
	return out
}

// addedAddressID is meta.address_id of a POST /address answer.
func addedAddressID(t *testing.T, answer map[string]any) int64 {
	t.Helper()
	meta, ok := answer["meta"].(map[string]any)
	if !ok {
		t.Fatalf("answer has no meta: %v", answer)
	}
	return int64(meta["address_id"].(float64))
}

func testAddressesAreAddedAndUpdated(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	client := newProfileClient(t, deps)
	token, id := world.register(t, "ann@addressesareaddedandupdated.example.com", customerPassword)
	client.token = token

	// when an address is added, then the answer has it with its id in meta, defaults applied, and a fresh JWT
	answer := client.call(t, http.MethodPost, "/address", `{"line1":" 1 Main St ","country":"us","state":"ny",
		"city":"New York","postal_code":"10001","first_name":"Ann","phone":"5550100","is_default":true}`, http.StatusOK)
	client.token = profileFreshToken(t, answer, token)
	home := addedAddressID(t, answer)
	got := addressesOf(t, profileData(t, answer))[home]
	want := map[string]any{"type": "shipping", "line1": "1 Main St", "country": "US", "state": "NY", "city": "New York",
		"postal_code": "10001", "first_name": "Ann", "phone": "5550100", "is_default": true, "user_id": float64(id),
		"line2": nil, "company": nil}
	for field, value := range want {
		if got[field] != value {
			t.Fatalf("%s = %v, want %v (address %v)", field, got[field], value, got)
		}
	}
	// when a second default shipping address and a default billing one are added (form-encoded), then the
	// new shipping default takes over and the billing default is its own
	office := addedAddressID(t, client.form(t, http.MethodPost, "/address", "line1=2+Side+St&country=CA&state=QC&is_default=1", http.StatusOK))
	answer = client.call(t, http.MethodPost, "/address", `{"type":"billing","line1":"3 Bank St","country":"FR","is_default":true}`, http.StatusOK)
	billing := addedAddressID(t, answer)
	addresses := addressesOf(t, profileData(t, answer))
	if len(addresses) != 3 || addresses[home]["is_default"] != false || addresses[office]["is_default"] != true ||
		addresses[billing]["is_default"] != true || addresses[billing]["type"] != "billing" {
		t.Fatalf("defaults after three addresses: %v", addresses)
	}
	// when an address is updated, then only the fields sent change
	answer = client.call(t, http.MethodPut, fmt.Sprintf("/address/%d", home), `{"city":"Albany","is_default":true}`, http.StatusOK)
	client.token = profileFreshToken(t, answer, client.token)
	addresses = addressesOf(t, profileData(t, answer))
	if a := addresses[home]; a["city"] != "Albany" || a["line1"] != "1 Main St" || a["is_default"] != true || addresses[office]["is_default"] != false {
		t.Fatalf("after the update: %v", addresses)
	}
	if _, has := answer["meta"]; has {
		t.Fatalf("an update answered a meta block: %v", answer["meta"])
	}
	// and POST /customer shows the same addresses
	if n := len(addressesOf(t, profileData(t, client.call(t, http.MethodPost, "/customer", "", http.StatusOK)))); n != 3 {
		t.Fatalf("customer has %d addresses, want 3", n)
	}
}

func testAddressRefusals(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	client := newProfileClient(t, deps)
	otherToken, _ := world.register(t, "bob@addressrefusals.example.com", customerPassword)
	other := *client
	other.token = otherToken
	othersAddress := addedAddressID(t, other.call(t, http.MethodPost, "/address", `{"line1":"9 Far Rd","country":"DE"}`, http.StatusOK))
	token, _ := world.register(t, "ann@addressrefusals.example.com", customerPassword)
	client.token = token
	mine := addedAddressID(t, client.call(t, http.MethodPost, "/address", `{"line1":"1 Main St","country":"GB"}`, http.StatusOK))

	fields := []struct {
		name, method, path, body string
		want                     map[string]string // field → its one message
	}{
		{"nothing given", "POST", "/address", `{}`, map[string]string{
			"line1": "The address line 1 field is required.", "country": "The country field is required."}},
		{"unknown type", "POST", "/address", `{"type":"home","line1":"1 Main St","country":"GB"}`, map[string]string{
			"type": "The selected type is invalid."}},
		{"is_default not a boolean", "POST", "/address", `{"line1":"1 Main St","country":"GB","is_default":"maybe"}`, map[string]string{
			"is_default": "The is default field must be true or false."}},
		{"text given an object", "POST", "/address", `{"line1":{"a":1},"country":"GB"}`, map[string]string{
			"line1": "The address line 1 must be a string."}},
		{"unknown country", "POST", "/address", `{"line1":"1 Main St","country":"ZZ"}`, map[string]string{
			"country": "The country must be a two-letter ISO 3166-1 country code."}},
		{"US without a state", "POST", "/address", `{"line1":"1 Main St","country":"US"}`, map[string]string{
			"state": "The state field is required."}},
		{"phone not numeric", "POST", "/address", `{"line1":"1 Main St","country":"GB","phone":"+44 20 ext"}`, map[string]string{
			"phone": "The phone must be a number."}},
		{"postal code too long", "POST", "/address", `{"line1":"1 Main St","country":"GB","postal_code":"` + strings.Repeat("1", 46) + `"}`,
			map[string]string{"postal_code": "The postal code may not be greater than 45 characters."}},
		{"every field's error at once", "POST", "/address", `{"line1":"a\tb","country":"XX","type":"x","phone":"abc","is_default":"z"}`,
			map[string]string{"line1": "The address line 1 may not contain control characters.",
				"country": "The country must be a two-letter ISO 3166-1 country code.", "type": "The selected type is invalid.",
				"phone": "The phone must be a number.", "is_default": "The is default field must be true or false."}},
		{"every field's error at once, of the fields an update sends", "PUT", fmt.Sprintf("/address/%d", mine),
			`{"line1":{"a":1},"country":"XX","phone":"abc"}`, map[string]string{"line1": "The address line 1 must be a string.",
				"country": "The country must be a two-letter ISO 3166-1 country code.", "phone": "The phone must be a number."}},
		{"update breaking a rule", "PUT", fmt.Sprintf("/address/%d", mine), `{"country":"CA"}`, map[string]string{
			"state": "The state field is required."}},
		{"update emptying line1", "PUT", fmt.Sprintf("/address/%d", mine), `{"line1":" "}`, map[string]string{
			"line1": "The address line 1 field is required."}},
	}
	for _, tc := range fields {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			answer := client.call(t, tc.method, tc.path, tc.body, http.StatusBadRequest)
			errs := answer["errors"].(map[string]any)
			if len(errs) != len(tc.want) {
				t.Fatalf("errors = %v, want fields %v", errs, tc.want)
			}
			for field, message := range tc.want {
				if got := profileFieldMessages(t, answer, field); len(got) != 1 || got[0] != message {
					t.Fatalf("%s messages = %v, want [%s]", field, got, message)
				}
			}
		})
	}
	for _, path := range []string{"/address/999999", fmt.Sprintf("/address/%d", othersAddress), "/address/abc",
		"/address/0", "/address/-1", "/address/1e3"} {
		t.Run("not found "+path, func(t *testing.T) {
			t.Parallel()
			if got := profileErrorMessage(t, client.call(t, http.MethodPut, path, `{"city":"Paris"}`, http.StatusNotFound)); got != "Address not found." {
				t.Fatalf("message = %q", got)
			}
		})
	}
	t.Run("in Korean", func(t *testing.T) {
		t.Parallel()
		rec := client.send(t, request(http.MethodPost, profileTarget("/address?language=ko"), "application/json", `{"line1":"1 Main St"}`), http.StatusBadRequest)
		if rec.Header().Get("Content-Language") != "ko" {
			t.Fatalf("Content-Language = %q, want ko", rec.Header().Get("Content-Language"))
		}
		if got := profileFieldMessages(t, decodeBody[map[string]any](t, rec), "country"); got[0] != "국가 필드는 필수입니다." {
			t.Fatalf("Korean message = %v", got)
		}
		rec = client.send(t, request(http.MethodPut, profileTarget("/address/999999?language=it"), "application/json", `{}`), http.StatusNotFound)
		if got := profileErrorMessage(t, decodeBody[map[string]any](t, rec)); got != "Indirizzo non trovato." || rec.Header().Get("Content-Language") != "it" {
			t.Fatalf("Italian not found = %q (%s)", got, rec.Header().Get("Content-Language"))
		}
	})
	t.Run("without a token", func(t *testing.T) {
		t.Parallel()
		anonymous := *client
		anonymous.token = ""
		if got := profileErrorMessage(t, anonymous.call(t, http.MethodPost, "/address", `{"line1":"1 Main St","country":"GB"}`, http.StatusUnauthorized)); got != "Token not provided" {
			t.Fatalf("message = %q", got)
		}
	})
}

// TestCustomerAddressEndpoints runs the address tests (#46, #47, rule 25) on one stack, as one database per
// test would exhaust the connections of the shared PostgreSQL; each test registers its own customers.
func TestCustomerAddressEndpoints(t *testing.T) {
	t.Parallel()
	deps, world := customerStack(t)
	for _, test := range []struct {
		name string
		run  func(*testing.T, Dependencies, *customerWorld)
	}{
		{"addresses are added and updated", testAddressesAreAddedAndUpdated},
		{"address refusals", testAddressRefusals},
	} {
		t.Run(test.name, func(t *testing.T) { test.run(t, deps, world) })
	}
}
