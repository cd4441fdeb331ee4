package transport

import (
	"fmt"
	"net/http"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// aLanguageThatIsNoTextIsRefusedEverywhere: a JSON `language` that is a boolean, list or object is a 400
// under `language` on every endpoint, in the wording register used first, never dropped for the next step
// of the language chain; a query `language=true` is text naming no supported language and falls through.
func aLanguageThatIsNoTextIsRefusedEverywhere(t *testing.T, w *subscriptionWorld) {
	token, _ := w.register(t, "lang-no-text@example.com", "a-long-password")
	endpoints := []struct{ method, path, body, token string }{
		{http.MethodPost, "/auth/register", `"email":"lang-new@example.com","password":"a-long-password"`, ""},
		{http.MethodPost, "/auth/login", `"email":"lang-no-text@example.com","password":"a-long-password"`, ""},
		{http.MethodPost, "/ecommerce/order-summary", `"items":[{"sku_id":1,"quantity":1}]`, token},
		{http.MethodPost, "/ecommerce/order", `"items":[{"sku_id":1,"quantity":1}],"gateway_token":"tok_visa"`, token},
		{http.MethodPut, "/customer", `"first_name":"Ann"`, token},
	}
	for _, endpoint := range endpoints {
		for _, language := range []string{`true`, `["de"]`, `{"code":"de"}`} {
			t.Run(fmt.Sprintf("%s %s language %s", endpoint.method, endpoint.path, language), func(t *testing.T) {
				// given a German reader who sends a language that is no text
				body := fmt.Sprintf(`{%s,"language":%s}`, endpoint.body, language)
				req := w.request(endpoint.method, fmt.Sprintf("%s?site_id=%d", endpoint.path, customerSite), endpoint.token, body)
				req.Header.Set("Accept-Language", "de")
				// when the request is sent
				rec := serve(w.router, req)
				// then it is refused under language, in German, and nothing else was judged
				got := decodeBody[validationBody](t, rec).Errors
				want := i18n.Localize(i18n.German, i18n.LanguageText)
				if rec.Code != http.StatusBadRequest || len(got) != 1 || len(got["language"]) != 1 || got["language"][0] != want {
					t.Fatalf("%d %s, want 400 with language [%q]", rec.Code, rec.Body, want)
				}
			})
		}
	}
	t.Run("query language=true falls through the chain", func(t *testing.T) {
		// given a German reader whose query names language=true, text that is no supported language
		req := w.request(http.MethodPost, fmt.Sprintf("/ecommerce/order-summary?site_id=%d&language=true", customerSite),
			token, `{"items":[]}`)
		req.Header.Set("Accept-Language", "de")
		// when the request is sent
		rec := serve(w.router, req)
		// then the language is not judged and the answer is German
		got := decodeBody[validationBody](t, rec).Errors
		if want := i18n.Localize(i18n.German, i18n.Required("items")); rec.Code != http.StatusBadRequest ||
			len(got) != 1 || len(got["items"]) != 1 || got["items"][0] != want {
			t.Fatalf("%d %s, want 400 with items [%q]", rec.Code, rec.Body, want)
		}
	})
}
