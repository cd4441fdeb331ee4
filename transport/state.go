package transport

import (
	"context"
	"net/http"
	"sync"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// requestState is what the middleware chain learns about one request, shared by pointer through the context
// so that outer middleware (access log, metrics, error writers) sees what inner middleware found later:
// the matched route, the decoded parameters, the site and the final language.
//
// Warning: only the goroutine serving the request may touch it; handlers that start goroutines must copy
// what they need first.
type requestState struct {
	id       string
	route    string // mux path template, empty until a route matched
	language i18n.Language
	params   Params
	site     SiteInfo
	hasSite  bool
	response *statusRecorder // what was sent so far; nil outside the chain
	// commandBase starts the id of every command the request issues (commandEnvelope).
	commandBase string
	// bodyDigest digests the body of a request sent with Idempotency-Key (digestIdempotentBody).
	bodyDigest []byte
	// subject names the data subject whose personal data the answer holds (idempotency.CustomerSubject,
	// NewsletterSubject), so an erasure forgets the answer kept for an Idempotency-Key. Set by whoever
	// writes such an answer.
	subject string
}

type stateKey struct{}

// withState returns r carrying a fresh state for the request id.
func withState(r *http.Request, id string) (*http.Request, *requestState) {
	state := &requestState{id: id, language: i18n.Fallback}
	return r.WithContext(context.WithValue(r.Context(), stateKey{}, state)), state
}

// stateOf returns the request's state. A request that did not come through the chain (a handler unit test)
// gets a detached default state rather than a nil pointer.
func stateOf(r *http.Request) *requestState {
	if state, ok := r.Context().Value(stateKey{}).(*requestState); ok {
		return state
	}
	return &requestState{language: i18n.Fallback}
}

// requestParams returns the merged query and body parameters of the request (see decodeInput).
func requestParams(r *http.Request) Params { return stateOf(r).params }

// requestSite returns the site the request identified; only routes on the site-scoped subrouter have one.
func requestSite(r *http.Request) (SiteInfo, bool) {
	state := stateOf(r)
	return state.site, state.hasSite
}

// requestLanguage returns the language every message of the response must use.
func requestLanguage(r *http.Request) i18n.Language { return stateOf(r).language }

// useLanguage resolves the response language from what is known so far and names it in Content-Language.
// Middleware calls it again as it learns more (body parameters, then the site's default), so the header
// always matches the messages written afterwards.
func useLanguage(w http.ResponseWriter, r *http.Request, explicit, siteLocale string) {
	lang := resolveLanguage(explicit, r.Header.Get("Accept-Language"), siteLocale)
	stateOf(r).language = lang
	w.Header().Set("Content-Language", string(lang))
}

// resolveLanguage applies the chain of spec section 1.4: an explicit `language` parameter, then the
// Accept-Language header, then the site's default locale, then English. An unsupported value at any step
// counts as absent, so the next step decides.
func resolveLanguage(explicit, acceptLanguage, siteLocale string) i18n.Language {
	if lang, ok := i18n.Parse(explicit); ok {
		return lang
	}
	if lang, ok := i18n.MatchAcceptLanguage(acceptLanguage); ok {
		return lang
	}
	if lang, ok := parseSiteLocale(siteLocale); ok {
		return lang
	}
	return i18n.Fallback
}

// siteLocales memoises i18n.Parse of site default locales, which come from our read model (a handful of
// distinct values) and are parsed on every site-scoped request. Never feed it caller input: that would grow
// it without bound.
var siteLocales sync.Map // string -> parsedLocale

type parsedLocale struct {
	lang i18n.Language
	ok   bool
}

// parseSiteLocale is i18n.Parse for a site's default locale, memoised.
func parseSiteLocale(locale string) (i18n.Language, bool) {
	if locale == "" {
		return "", false
	}
	if known, ok := siteLocales.Load(locale); ok {
		parsed := known.(parsedLocale)
		return parsed.lang, parsed.ok
	}
	lang, ok := i18n.Parse(locale)
	siteLocales.Store(locale, parsedLocale{lang, ok})
	return lang, ok
}

// negotiateLanguage picks the response language from what is known before the body is read (the `language`
// query parameter, then Accept-Language) so that even early failures (413, 404, panics) are localised and
// carry Content-Language. Responses vary with Accept-Language, which caches must know.
func negotiateLanguage(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Add("Vary", "Accept-Language")
		useLanguage(w, r, queryLanguage(r.URL.RawQuery), "")
		next.ServeHTTP(w, r)
	})
}
