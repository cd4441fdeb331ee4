package transport

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

func TestLanguageFromEverySource(t *testing.T) {
	t.Parallel()
	router := newTestRouter(t, Dependencies{Sites: testSites})
	sources := []struct {
		name  string
		build func(lang i18n.Language) *http.Request
	}{
		{"query", func(l i18n.Language) *http.Request {
			return request("GET", fmt.Sprintf("%s?site_id=%d&language=%s", probePath, englishSite, l), "", "")
		}},
		{"JSON body", func(l i18n.Language) *http.Request {
			return request("POST", probePath, "application/json", fmt.Sprintf(`{"site_id":%d,"language":%q}`, englishSite, l))
		}},
		{"form body", func(l i18n.Language) *http.Request {
			return request("POST", probePath, "application/x-www-form-urlencoded", fmt.Sprintf("site_id=%d&language=%s", englishSite, l))
		}},
		{"Accept-Language", func(l i18n.Language) *http.Request {
			req := request("GET", fmt.Sprintf("%s?site_id=%d", probePath, englishSite), "", "")
			req.Header.Set("Accept-Language", "pt-BR, "+string(l)+"-XX;q=0.8, en;q=0.1")
			return req
		}},
		{"site default", func(l i18n.Language) *http.Request {
			return request("GET", fmt.Sprintf("%s?site_id=%d", probePath, siteSpeaking(l)), "", "")
		}},
	}
	for _, source := range sources {
		for _, lang := range i18n.Supported() {
			t.Run(source.name+"/"+string(lang), func(t *testing.T) {
				t.Parallel()
				// when the language comes only from this source
				rec := serve(router, source.build(lang))
				// then the handler and the Content-Language header both use it
				assertLanguage(t, rec, lang)
			})
		}
	}
}

func TestLanguagePrecedence(t *testing.T) {
	t.Parallel()
	router := newTestRouter(t, Dependencies{Sites: testSites})
	cases := []struct {
		name           string
		target         string
		body           string
		acceptLanguage string
		want           i18n.Language
	}{
		{"query beats Accept-Language", "?site_id=77&language=it", "", "de", i18n.Italian},
		{"body beats query", "?site_id=77&language=it", `{"language":"ko"}`, "", i18n.Korean},
		{"Accept-Language beats the site default", "?site_id=77", "", "es-MX", i18n.Spanish},
		{"unsupported language falls through to Accept-Language", "?site_id=77&language=pt", "", "de", i18n.German},
		{"unsupported everything falls through to the site default", "?site_id=77&language=pt", "", "pt-BR", i18n.French},
		{"regional variant of a supported language", "?site_id=1232&language=fr_CA", "", "", i18n.French},
		{"fallback is English", "?site_id=55&language=xx", "", "zh-CN", i18n.English},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := request("POST", probePath+tc.target, "application/json", tc.body)
			if tc.acceptLanguage != "" {
				req.Header.Set("Accept-Language", tc.acceptLanguage)
			}
			assertLanguage(t, serve(router, req), tc.want)
		})
	}
}

func TestErrorsAreLocalisedBeforeTheSiteIsKnown(t *testing.T) {
	t.Parallel()
	router := newTestRouter(t, Dependencies{Sites: testSites})
	for _, lang := range i18n.Supported() {
		t.Run(string(lang), func(t *testing.T) {
			t.Parallel()
			// given a request without site_id whose caller reads lang
			req := request("GET", probePath, "", "")
			req.Header.Set("Accept-Language", string(lang))
			// when it is refused
			rec := serve(router, req)
			// then the message and Content-Language are in that language
			if got := rec.Header().Get("Content-Language"); got != string(lang) {
				t.Fatalf("Content-Language = %q, want %q", got, lang)
			}
			got := decodeBody[validationBody](t, rec).Errors["site_id"]
			if want := i18n.Localize(lang, i18n.Required("site_id")); len(got) != 1 || got[0] != want {
				t.Fatalf("site_id errors = %q, want [%q]", got, want)
			}
		})
	}
}

func TestContentLanguageOnEveryResponse(t *testing.T) {
	t.Parallel()
	router := newTestRouter(t, Dependencies{Sites: testSites})
	for _, target := range []string{"/healthz", APIBasePath + "/openapi.json", APIBasePath + "/nowhere?language=de"} {
		rec := serve(router, request("GET", target, "", ""))
		if rec.Header().Get("Content-Language") == "" {
			t.Errorf("GET %s: no Content-Language", target)
		}
	}
	// and an unknown path is refused in the caller's language
	assertError(t, serve(router, request("GET", APIBasePath+"/nowhere?language=de", "", "")),
		http.StatusNotFound, "Die angeforderte Ressource wurde nicht gefunden.")
}

// assertLanguage checks that the probe answered in want and said so in Content-Language.
func assertLanguage(t *testing.T, rec *httptest.ResponseRecorder, want i18n.Language) {
	t.Helper()
	if rec.Code != http.StatusOK {
		t.Fatalf("status = %d, want 200; body %s", rec.Code, rec.Body)
	}
	if got := rec.Header().Get("Content-Language"); got != string(want) {
		t.Fatalf("Content-Language = %q, want %q", got, want)
	}
	if got := decodeBody[struct{ Data probeData }](t, rec).Data.Language; got != string(want) {
		t.Fatalf("handler language = %q, want %q", got, want)
	}
}
