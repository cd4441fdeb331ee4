package transport

import (
	"net/http"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
)

func testVerificationIsRefusedWhereTheSiteDoesNotVerifyEmails(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	client := newProfileClient(t, deps)
	token, id := world.register(t, "ann@verificationisrefusedwherethes.example.com", customerPassword)
	client.token = token
	cases := []struct{ language, message string }{
		{"en", "Email verification is not enabled for this site."},
		{"es", "La verificación del correo electrónico no está habilitada para este sitio."},
	}
	for _, tc := range cases {
		// given a site with email_verify_enabled off, when the customer asks for a verification link
		rec := client.send(t, request(http.MethodGet, profileTarget("/customer/email/verify?language="+tc.language), "", ""),
			http.StatusBadRequest)
		// then it is refused in their language, as passwordless login is where the site has it off
		if got := profileErrorMessage(t, decodeBody[map[string]any](t, rec)); got != tc.message {
			t.Fatalf("%s message = %q, want %q", tc.language, got, tc.message)
		}
	}
	// and no link was issued, so none is mailed
	if last := world.lastEvents(t, id, 1); last[0].Type != "customer.registered" {
		t.Fatalf("a refused verification request wrote %s", last[0].Type)
	}
}

func testLinksAreMailedInTheCustomersLanguage(t *testing.T, deps Dependencies, world *customerWorld) {
	t.Parallel()
	deps.Catalog = profileVerifyingCatalog{deps.Catalog}
	client := newProfileClient(t, deps)
	// given a customer who registered in French
	rec := world.call(http.MethodPost, "/auth/register"+profileSiteQuery+"&language=fr", "",
		`{"email":"ann@linksaremailedinthecustomerslan.example.com","password":"`+customerPassword+`"}`)
	registered := decodeBody[struct {
		Data struct {
			ID    int64  `json:"id"`
			Token string `json:"auth_token"`
		} `json:"data"`
	}](t, rec).Data
	client.token = registered.Token
	steps := []struct {
		name, method, path, body string
		want                     string
	}{
		{"a link asked in Spanish is mailed in French", http.MethodGet, "/customer/email/verify?language=es", "", "fr"},
		{"a passwordless link too", http.MethodPost, "/auth/passwordless/request?language=es",
			`{"email":"ann@linksaremailedinthecustomerslan.example.com"}`, "fr"},
		{"a new email's link is mailed in the language the same update sets", http.MethodPut, "/customer?language=es",
			`{"email":"ann.lee@linksaremailedinthecustomerslan.example.com","language":"it"}`, "it"},
	}
	for _, step := range steps { // in order: the last one changes the customer
		// when a link is asked for on a request in another language
		contentType := ""
		if step.body != "" {
			contentType = "application/json"
		}
		client.send(t, request(step.method, profileTarget(step.path), contentType, step.body), http.StatusOK)
		// then the token's event says its mail is written in the customer's language
		if got := world.lastMailLanguage(t, registered.ID); got != step.want {
			t.Fatalf("%s: the mail is in %q, want %q", step.name, got, step.want)
		}
	}
}

// lastMailLanguage is the language of the last one-time token mailed to the customer.
func (w *customerWorld) lastMailLanguage(t *testing.T, customerID int64) string {
	t.Helper()
	last := w.lastEvents(t, customerID, 1)[0]
	decoded, err := customer.Events.Decode(last.Type, 1, last.Data)
	issued, ok := decoded.(customer.OneTimeTokenIssued)
	if err != nil || !ok {
		t.Fatalf("the last event of customer %d is %s, not a mailed token (%v)", customerID, last.Type, err)
	}
	return issued.Language
}
