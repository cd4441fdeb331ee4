package transport

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
	"github.com/pelcro-oss/pelcro-api/queries"
)

var fixedTime = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)

// fakeNewsletters runs the real decide functions on an in-memory state (no store) and fails on request.
type fakeNewsletters struct{ fail error }

func (f fakeNewsletters) Subscribe(_ context.Context, _ commands.Envelope, c newsletter.Subscribe) (commands.Result, error) {
	if f.fail != nil {
		return commands.Result{}, f.fail
	}
	_, err := newsletter.SubscribeEntry(newsletter.State{}, c, fixedTime)
	return commands.Result{}, err
}

func (fakeNewsletters) Update(_ context.Context, _ commands.Envelope, c newsletter.Update) (commands.Result, error) {
	if _, err := newsletter.UpdateEntry(newsletter.State{Subscribed: true}, c, fixedTime); err != nil {
		return commands.Result{}, err
	}
	return commands.Result{Revision: 1, Position: eventstore.Position{Commit: 7, Prepare: 7}}, nil
}

func (fakeNewsletters) Unsubscribe(context.Context, commands.Envelope, newsletter.Unsubscribe) (commands.Result, error) {
	return commands.Result{}, newsletter.ErrNotSubscribed
}

// emptyNewsletters is a read model without entries.
type emptyNewsletters struct{}

func (emptyNewsletters) Newsletter(context.Context, int64, string) (queries.Newsletter, bool, error) {
	return queries.Newsletter{}, false, nil
}

func TestNewsletterRefusals(t *testing.T) {
	t.Parallel()
	wait := func(context.Context, commands.Written) error { return nil }
	stuck := func(context.Context, commands.Written) error { return context.DeadlineExceeded }
	working := Dependencies{Sites: testSites, NewsletterCommands: fakeNewsletters{}, NewsletterQueries: emptyNewsletters{}, WaitForNewsletters: wait}
	storeDown := working
	storeDown.NewsletterCommands = fakeNewsletters{fail: errors.New("event store unreachable")}
	lagging := working
	lagging.WaitForNewsletters = stuck
	long := strings.Repeat("x", 256)

	cases := []struct {
		name, method, target, body string
		deps                       Dependencies
		status                     int
		want                       string // a fragment of the body
	}{
		{"email required", "POST", "/newsletter?site_id=1232", `{}`, working, 400, `{"errors":{"email":["The email field is required."]}}`},
		{"email required, German", "POST", "/newsletter?site_id=1232&language=de", `{}`, working, 400, `"Das Feld E-Mail ist erforderlich."`},
		{"email malformed", "POST", "/newsletter?site_id=1232", `{"email":"ann"}`, working, 400, `"The email must be a valid email address."`},
		{"email malformed, Korean", "POST", "/newsletter?site_id=1232&language=ko", `{"email":"ann"}`, working, 400, `"이메일 항목은 유효한 이메일 주소여야 합니다."`},
		{"limits", "POST", "/newsletter?site_id=1232", `{"email":"a@b.co","first_name":"` + long + `","postal_code":"12345678901"}`, working, 400,
			`"first_name":["The first name may not be greater than 255 characters."],"postal_code":["The postal code may not be greater than 10 characters."]`},
		{"limits on update, French", "PUT", "/newsletter/a@b.co?site_id=1232&language=fr", `{"consent_ip":"` + long + `"}`, working, 400,
			`"Le texte du champ IP de consentement ne peut contenir plus de 100 caractères."`},
		{"delete a non-subscriber", "DELETE", "/newsletter/a@b.co?site_id=1232", ``, working, 400, `{"errors":{"email":["The selected email is invalid."]}}`},
		{"delete a non-subscriber, Italian", "DELETE", "/newsletter/a@b.co?site_id=1232&language=it", ``, working, 400, `"Il campo email selezionato non è valido."`},
		{"lists given as an array", "POST", "/newsletter?site_id=1232", `{"email":"n3@example.com","lists":["a","b"]}`, working, 400,
			`{"errors":{"lists":["The lists must be a string."]}}`},
		{"names given as an array and an object, Spanish", "POST", "/newsletter?site_id=1232&language=es",
			`{"email":"n3@example.com","first_name":["a"],"last_name":{"x":1}}`, working, 400,
			`"first_name":["El campo nombre debe ser una cadena de texto."],"last_name":["El campo apellido debe ser una cadena de texto."]`},
		{"email given as an array", "POST", "/newsletter?site_id=1232", `{"email":["n3@example.com"]}`, working, 400,
			`{"errors":{"email":["The email must be a string."]}}`},
		{"consent given as an object on update, German", "PUT", "/newsletter/a@b.co?site_id=1232&language=de", `{"consent_text":{"x":1}}`,
			working, 400, `{"errors":{"consent_text":["Das Feld Einwilligungstext muss eine Zeichenkette sein."]}}`},
		{"a number is text", "PUT", "/newsletter/a@b.co?site_id=1232", `{"postal_code":12345}`, lagging, 503, `"status":503`},
		{"site_id missing", "POST", "/newsletter", `{"email":"a@b.co"}`, working, 400, `"The site id field is required."`},
		{"get an unknown entry, Spanish", "GET", "/newsletter/a@b.co?site_id=1232&language=es", ``, working, 404, `"Suscripción al boletín no encontrada."`},
		{"store down", "POST", "/newsletter?site_id=1232", `{"email":"a@b.co"}`, storeDown, 500, `"An unexpected error occurred. Please try again later."`},
		{"read model lagging: saved, shows later", "PUT", "/newsletter/a@b.co?site_id=1232&language=de", `{"lists":"x"}`, lagging, 503,
			`{"error":{"status":503,"message":"Ihre Änderung wurde gespeichert und ist in Kürze sichtbar."}}`},
	}
	checker := documentChecker(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given the router with the case's dependencies, when the request arrives
			req := request(tc.method, APIBasePath+tc.target, "application/json", tc.body)
			rec := serve(newTestRouter(t, tc.deps), req)
			// then it answers as documented, in the request's language
			checker.CheckResponse(t, req, rec)
			if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.want) {
				t.Fatalf("%s %s = %d %s, want %d with %s", tc.method, tc.target, rec.Code, rec.Body, tc.status, tc.want)
			}
		})
	}
}

func TestEveryNewsletterProblemHasAMessageInEveryLanguage(t *testing.T) {
	t.Parallel()
	// given every problem the aggregate can report
	problems := newsletter.Problems{{Field: "email", Rule: newsletter.RuleRequired}, {Field: "email", Rule: newsletter.RuleEmail}}
	_, err := newsletter.SubscribeEntry(newsletter.State{}, newsletter.Subscribe{Email: "a@b.co", Details: newsletter.Details{
		FirstName: strings.Repeat("x", 300), LastName: strings.Repeat("x", 300), PostalCode: strings.Repeat("x", 300),
		ConsentURL: strings.Repeat("x", 300), ConsentType: strings.Repeat("x", 300), ConsentIP: strings.Repeat("x", 300)}}, fixedTime)
	var limits newsletter.Problems
	if !errors.As(err, &limits) || len(limits) != 6 {
		t.Fatalf("limits = %v", err)
	}
	problems = append(problems, newsletter.EmailProblems(strings.Repeat("a", 300)+"@example.com")...)
	problems = append(problems, withNULs[newsletter.Details]().Problems()...)
	wording := problemFieldErrors("newsletter", append(problems, limits...))
	// and every field given as something else than text
	notText := map[string]json.RawMessage{"email": json.RawMessage(`[]`)}
	for _, f := range newsletterFields {
		notText[f.name] = json.RawMessage(`{"x":1}`)
	}
	_, failures := newsletterPatch(paramsFromJSON(notText))
	textInput(paramsFromJSON(notText), "newsletter", "email", failures)
	if len(failures) != len(notText) {
		t.Fatalf("fields refused as not text: %v, want all of %d", failures, len(notText))
	}
	for field, ids := range failures {
		wording[field+" (not text)"] = ids
	}
	// when each is worded, then every language has a text for it (Localize returns the id for a gap)
	for field, ids := range wording {
		for _, id := range ids {
			for _, lang := range i18n.Supported() {
				if i18n.Localize(lang, id) == string(id) {
					t.Errorf("%s: %s has no %s text", field, id, lang)
				}
			}
		}
	}
}
