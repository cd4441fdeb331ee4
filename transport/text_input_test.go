package transport

import (
	"fmt"
	"net/http"
	"testing"
)

// testControlCharactersAreRefusedWithAFieldMessage replays issue 8's reproductions: a NUL in a text used to
// be stored, stopped the customers projection for good and turned every customer endpoint into a 500.
func testControlCharactersAreRefusedWithAFieldMessage(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	client := newProfileClient(t, deps)
	token, _ := world.register(t, "ann@controlcharacters.example.com", customerPassword)
	client.token = token
	address := addedAddressID(t, client.call(t, http.MethodPost, "/address", `{"line1":"1 Main St","country":"FR"}`, http.StatusOK))
	client.token = profileFreshToken(t, client.call(t, http.MethodPost, "/customer/refresh", "", http.StatusOK), client.token)

	cases := []struct {
		name, method, path, body, field, message string
	}{
		{"register, a NUL in the first name", http.MethodPost, "/auth/register",
			`{"email":"bob@controlcharacters.example.com","password":"Secret-123!","first_name":"a\u0000b"}`,
			"first_name", "The first name may not contain control characters."},
		{"register, an escape sequence in the organization", http.MethodPost, "/auth/register",
			`{"email":"bob@controlcharacters.example.com","password":"Secret-123!","organization":"\u001b[31mred"}`,
			"organization", "The organization may not contain control characters."},
		{"update, a NUL in the last name", http.MethodPut, "/customer", `{"last_name":"a\u0000b"}`,
			"last_name", "The last name may not contain control characters."},
		{"update, a line break in the display name", http.MethodPut, "/customer", `{"display_name":"Ann\r\nBcc: x@y.z"}`,
			"display_name", "The display name may not contain control characters."},
		{"update, a NUL in a metadata value", http.MethodPut, "/customer", `{"metadata":{"note":"a\u0000b"}}`,
			"metadata", "The metadata may not contain control characters, in keys or in values."},
		{"update, a NUL in a nested metadata key", http.MethodPut, "/customer", `{"metadata":{"a":[{"\u0000":1}]}}`,
			"metadata", "The metadata may not contain control characters, in keys or in values."},
		{"update, a C1 control in the email", http.MethodPut, "/customer", `{"email":"ann\u0085@controlcharacters.example.com"}`,
			"email", "The email must be a valid email address."},
		{"address update, a NUL in line 1", http.MethodPut, fmt.Sprintf("/address/%d", address), `{"line1":"1 Main\u0000St"}`,
			"line1", "The address line 1 may not contain control characters."},
		{"address creation, a NUL in the city", http.MethodPost, "/address", `{"line1":"2 Main St","country":"FR","city":"\u0000"}`,
			"city", "The city may not contain control characters."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// when a request carries a control character in a text
			answer := client.call(t, tc.method, tc.path, tc.body, http.StatusBadRequest)
			// then it is a 400 in the validation shape, naming the field
			if got := profileFieldMessages(t, answer, tc.field); len(got) != 1 || got[0] != tc.message {
				t.Fatalf("%s messages = %v, want [%s]", tc.field, got, tc.message)
			}
		})
	}
	t.Run("in German", func(t *testing.T) {
		t.Parallel()
		answer := client.call(t, http.MethodPut, "/customer?language=de", `{"first_name":"a\u0000b"}`, http.StatusBadRequest)
		if got := profileFieldMessages(t, answer, "first_name"); got[0] != "Das Feld Vorname darf keine Steuerzeichen enthalten." {
			t.Fatalf("German message = %v", got)
		}
	})
	t.Run("multi-line metadata values and the customer are fine afterwards", func(t *testing.T) {
		t.Parallel()
		// when a metadata value holds line breaks, then it is stored and read back as sent
		other := newProfileClient(t, deps)
		other.token, _ = world.register(t, "cid@controlcharacters.example.com", customerPassword)
		data := profileData(t, other.call(t, http.MethodPut, "/customer", `{"metadata":{"note":"line 1\r\n\tline 2"}}`, http.StatusOK))
		if got := data["metadata"].(map[string]any)["note"]; got != "line 1\r\n\tline 2" {
			t.Fatalf("note = %q", got)
		}
	})
}

func testLookalikeEmailsAreOneAccount(t *testing.T, _ Dependencies, world *customerWorld) {
	t.Parallel()
	_, ann := world.register(t, "ann@lookalikes.example.com", customerPassword)
	cases := []struct {
		name, email, message string
	}{
		{"a zero-width space is dropped, so the email is taken", "ann\u200b@lookalikes.example.com", "The email has already been taken."},
		{"a byte order mark and a soft hyphen too", "\ufeffan\u00adn@lookalikes.example.com", "The email has already been taken."},
		{"fullwidth letters are refused", "ａｎｎ@lookalikes.example.com", "The email must be a valid email address."},
		{"a decomposed accent is refused", "jose\u0301@lookalikes.example.com", "The email must be a valid email address."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// when a lookalike of Ann's email registers, then it is refused with a field message
			rec := world.call(http.MethodPost, fmt.Sprintf("/auth/register?site_id=%d", customerSite), "",
				fmt.Sprintf(`{"email":%q,"password":%q}`, tc.email, customerPassword))
			if rec.Code != http.StatusBadRequest {
				t.Fatalf("register %q = %d %s, want 400", tc.email, rec.Code, rec.Body)
			}
			if messages := profileFieldMessages(t, decodeBody[map[string]any](t, rec), "email"); messages[0] != tc.message {
				t.Fatalf("email messages = %v, want %s", messages, tc.message)
			}
		})
	}
	t.Run("another customer cannot take a lookalike either", func(t *testing.T) {
		t.Parallel()
		bob, _ := world.register(t, "bob@lookalikes.example.com", customerPassword)
		rec := world.call(http.MethodPut, fmt.Sprintf("/customer?site_id=%d", customerSite), bob,
			`{"email":"ann\u200b@lookalikes.example.com"}`)
		if rec.Code != http.StatusBadRequest {
			t.Fatalf("PUT /customer = %d %s, want 400", rec.Code, rec.Body)
		}
		if got := profileFieldMessages(t, decodeBody[map[string]any](t, rec), "email"); got[0] != "The email has already been taken." {
			t.Fatalf("email messages = %v", got)
		}
	})
	t.Run("signing in with a lookalike signs Ann in", func(t *testing.T) {
		t.Parallel()
		rec := world.call(http.MethodPost, fmt.Sprintf("/auth/login?site_id=%d", customerSite), "",
			fmt.Sprintf(`{"email":"ann\u200b@lookalikes.example.com","password":%q}`, customerPassword))
		if rec.Code != http.StatusOK {
			t.Fatalf("login = %d %s", rec.Code, rec.Body)
		}
		if got := profileData(t, decodeBody[map[string]any](t, rec))["id"]; got != float64(ann) {
			t.Fatalf("signed in as %v, want %d", got, ann)
		}
	})
}

// newsletterRefusesControlCharactersAndLookalikes runs on the stack of TestNewsletterEndToEnd (a database per
// test would exhaust the shared PostgreSQL's connections), with emails of its own.
func newsletterRefusesControlCharactersAndLookalikes(t *testing.T, call func(method, target, body string, status int) map[string]any) {
	t.Helper()
	fieldMessage := func(answer map[string]any, field string) any {
		return answer["errors"].(map[string]any)[field].([]any)[0]
	}
	// given an entry whose consent text has several lines, then it is stored and read back as sent
	consent := "I agree.\r\n\tTerms apply."
	created := call(http.MethodPost, "/newsletter?site_id=1232", fmt.Sprintf(`{"email":"dee@example.com","consent_text":%q}`, consent), 200)
	if got := created["data"].(map[string]any)["consent_text"]; got != consent {
		t.Fatalf("consent_text = %q", got)
	}
	// when issue 8's request subscribes a NUL in the first name, then it is a 400 naming the field
	refused := call(http.MethodPost, "/newsletter?site_id=1232", `{"email":"bob@example.com","first_name":"a\u0000b"}`, 400)
	if got := fieldMessage(refused, "first_name"); got != "The first name may not contain control characters." {
		t.Fatalf("first_name message = %v", got)
	}
	// and an update with a control character is refused the same way
	refused = call(http.MethodPut, "/newsletter/dee@example.com?site_id=1232", `{"lists":"daily\u0007"}`, 400)
	if got := fieldMessage(refused, "lists"); got != "The lists may not contain control characters." {
		t.Fatalf("lists message = %v", got)
	}
	// when a lookalike with a zero-width space subscribes, then it is Dee's entry, already subscribed
	taken := call(http.MethodPost, "/newsletter?site_id=1232", `{"email":"dee\u200b@example.com"}`, 400)
	if got := fieldMessage(taken, "email"); got != "The email has already been taken." {
		t.Fatalf("lookalike message = %v", got)
	}
	if got := call(http.MethodGet, "/newsletter/dee%E2%80%8B@example.com?site_id=1232", "", 200)["data"]; got.(map[string]any)["email"] != "dee@example.com" {
		t.Fatalf("lookalike read = %v", got)
	}
	// and reading an entry whose email holds a NUL finds none (it used to fail the query: a 500)
	call(http.MethodGet, "/newsletter/dee%00@example.com?site_id=1232", "", 404)
	// and an email longer than 255 characters is refused
	long := call(http.MethodPost, "/newsletter?site_id=1232", fmt.Sprintf(`{"email":"%0244d@example.com"}`, 0), 400)
	if got := fieldMessage(long, "email"); got != "The email may not be greater than 255 characters." {
		t.Fatalf("long email message = %v", got)
	}
}
