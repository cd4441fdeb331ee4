package transport

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/prometheus/client_golang/prometheus"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// Sites the fake directory knows. siteLookupFails makes it fail, as a database outage would.
const (
	englishSite     = 1232
	frenchSite      = 77
	siteLookupFails = 13
	portugueseSite  = 55
)

// fakeSites is the SiteDirectory of the tests.
type fakeSites map[int64]SiteInfo

func (f fakeSites) Site(_ context.Context, id int64) (SiteInfo, bool, error) {
	if id == siteLookupFails {
		return SiteInfo{}, false, errors.New("read model unreachable")
	}
	site, ok := f[id]
	return site, ok, nil
}

// testSites holds, besides the two named sites, one site per language whose default locale is that
// language (ids 101–106, see siteSpeaking) and one whose default locale is unsupported (portugueseSite).
var testSites = func() fakeSites {
	sites := fakeSites{
		englishSite:    {ID: englishSite, AccountID: 9, DefaultLocale: "en_US"},
		frenchSite:     {ID: frenchSite, AccountID: 10, DefaultLocale: "fr_CA"},
		portugueseSite: {ID: portugueseSite, AccountID: 11, DefaultLocale: "pt_BR"},
	}
	for i, locale := range []string{"en_US", "fr_FR", "it_IT", "ko_KR", "es_MX", "de_AT"} {
		id := int64(101 + i)
		sites[id] = SiteInfo{ID: id, AccountID: 12, DefaultLocale: locale}
	}
	return sites
}()

// siteSpeaking returns the id of the test site whose default locale is in lang.
func siteSpeaking(lang i18n.Language) int64 {
	return int64(101 + slices.Index(i18n.Supported(), lang))
}

// probePath is the test-only endpoint on the site-scoped subrouter. It echoes what the conventions resolved,
// through the caching helper (PUT: the plain data envelope), and misbehaves on request: `panic` panics,
// `missing` answers a cacheable 404.
const probePath = APIBasePath + "/probe"

func probe(w http.ResponseWriter, r *http.Request) {
	params := requestParams(r)
	if params.Has("panic") {
		w.Header().Set("ETag", `"half-built"`)
		panic("probe asked to panic")
	}
	if params.Has("missing") {
		writeCached(w, r, http.StatusNotFound, cacheFor{maxAge: 5 * time.Minute}, errorResponse(r, http.StatusNotFound, i18n.RouteNotFound))
		return
	}
	site, _ := requestSite(r)
	note, _ := params.String("note")
	data := probeData{SiteID: site.ID, AccountID: site.AccountID, Language: string(requestLanguage(r)), Note: note}
	if r.Method == http.MethodPut {
		writeData(w, http.StatusOK, data)
		return
	}
	writeCached(w, r, http.StatusOK, cacheFor{maxAge: 5 * time.Minute}, dataBody{Data: data})
}

// newTestRouter builds the real router plus the probe, with a private registry and a silent logger. Unlike
// NewRouter it accepts a partial deps, so a test wires only the ports its endpoints use: a request reaching
// a port left out panics in the handler, which the router answers 500 and the test sees as a failure.
func newTestRouter(t *testing.T, deps Dependencies) http.Handler {
	t.Helper()
	if deps.Metrics == nil {
		deps.Metrics = prometheus.NewRegistry()
	}
	if deps.Logger == nil {
		deps.Logger = discardLogger()
	}
	return newRouter(deps, func(public routeGroup) {
		public.HandleFunc("/probe", probe).Methods(http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut)
	})
}

// request builds a request; a non-empty body is sent with the given content type.
func request(method, target, contentType, body string) *http.Request {
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if contentType != "" {
		req.Header.Set("Content-Type", contentType)
	}
	return req
}

// serve runs req through router and returns what a client would receive.
func serve(router http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	router.ServeHTTP(rec, req)
	return rec
}

// decodeBody parses a JSON response body, failing the test on anything else.
func decodeBody[T any](t *testing.T, rec *httptest.ResponseRecorder) T {
	t.Helper()
	var body T
	if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
		t.Fatalf("body %q is not the expected JSON: %v", rec.Body.String(), err)
	}
	return body
}

// probeData is the probe's success payload.
type probeData struct {
	SiteID    int64  `json:"site_id"`
	AccountID int64  `json:"account_id"`
	Language  string `json:"language"`
	Note      string `json:"note"`
}

// assertError checks a response in the single-error shape of spec 1.7.
func assertError(t *testing.T, rec *httptest.ResponseRecorder, status int, message string) {
	t.Helper()
	if rec.Code != status {
		t.Fatalf("status = %d, want %d; body %s", rec.Code, status, rec.Body)
	}
	if got := rec.Header().Get("Content-Type"); got != "application/json" {
		t.Fatalf("Content-Type = %q, want application/json", got)
	}
	got := decodeBody[errorBody](t, rec)
	want := errorBody{Error: errorDetail{Status: status, Message: message}}
	if got != want {
		t.Fatalf("body = %+v, want %+v", got, want)
	}
}

// assertRetryAfter checks that a 429 names in Retry-After a wait of whole seconds within (least, most].
func assertRetryAfter(t *testing.T, rec *httptest.ResponseRecorder, least, most time.Duration) {
	t.Helper()
	header := rec.Header().Get("Retry-After")
	seconds, err := strconv.Atoi(header)
	if wait := time.Duration(seconds) * time.Second; err != nil || wait <= least || wait > most {
		t.Fatalf("Retry-After = %q, want seconds within (%v, %v]", header, least, most)
	}
}

// discardLogger keeps test output free of access log lines.
func discardLogger() *slog.Logger { return slog.New(slog.NewTextHandler(io.Discard, nil)) }
