package transport

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

func TestCachedResponsesRevalidateWithETag(t *testing.T) {
	t.Parallel()
	router := newTestRouter(t, Dependencies{Sites: testSites})
	for _, target := range []string{probePath + "?site_id=1232", probePath + "?site_id=1232&missing=1"} {
		t.Run(target, func(t *testing.T) {
			t.Parallel()
			// given a first answer
			first := serve(router, request("GET", target, "", ""))
			etag := first.Header().Get("ETag")
			if first.Header().Get("Cache-Control") != "max-age=300" || !strings.HasPrefix(etag, `"`) || strings.HasPrefix(etag, "W/") {
				t.Fatalf("first answer %d: Cache-Control %q, ETag %q; want max-age=300 and a strong ETag",
					first.Code, first.Header().Get("Cache-Control"), etag)
			}
			cases := []struct {
				name, ifNoneMatch string
				wantStatus        int
			}{
				{"same tag", etag, http.StatusNotModified},
				{"weak form of the tag", "W/" + etag, http.StatusNotModified},
				{"tag in a list", `"other", ` + etag, http.StatusNotModified},
				{"any", "*", http.StatusNotModified},
				{"stale tag", `"stale"`, first.Code},
			}
			for _, tc := range cases {
				// when the client revalidates
				req := request("GET", target, "", "")
				req.Header.Set("If-None-Match", tc.ifNoneMatch)
				rec := serve(router, req)
				// then a matching tag gets an empty 304 carrying the validators again
				if rec.Code != tc.wantStatus {
					t.Fatalf("%s: status = %d, want %d", tc.name, rec.Code, tc.wantStatus)
				}
				if rec.Header().Get("ETag") != etag || rec.Header().Get("Cache-Control") != "max-age=300" {
					t.Fatalf("%s: validators %v", tc.name, rec.Header())
				}
				if tc.wantStatus == http.StatusNotModified && rec.Body.Len() != 0 {
					t.Fatalf("%s: 304 with a body %q", tc.name, rec.Body)
				}
			}
		})
	}
}

func TestETagFollowsTheBody(t *testing.T) {
	t.Parallel()
	router := newTestRouter(t, Dependencies{Sites: testSites})
	etag := func(target string) string { return serve(router, request("GET", target, "", "")).Header().Get("ETag") }
	// when the same resource is asked twice, then it has one tag
	if a, b := etag(probePath+"?site_id=1232"), etag(probePath+"?site_id=1232"); a != b {
		t.Fatalf("same body, tags %s and %s", a, b)
	}
	// and another body (another language) has another tag, so caches keep both
	if a, b := etag(probePath+"?site_id=1232"), etag(probePath+"?site_id=1232&language=fr"); a == b {
		t.Fatalf("different bodies share tag %s", a)
	}
}

func TestConditionalRequestsOnlyForSafeMethods(t *testing.T) {
	t.Parallel()
	router := newTestRouter(t, Dependencies{Sites: testSites})
	etag := serve(router, request("GET", probePath+"?site_id=1232", "", "")).Header().Get("ETag")
	req := request("POST", probePath+"?site_id=1232", "", "")
	req.Header.Set("If-None-Match", etag)
	if rec := serve(router, req); rec.Code != http.StatusOK {
		t.Fatalf("POST with a matching If-None-Match = %d, want 200", rec.Code)
	}
}

func TestCachedErrorIsTheBodyWriteCachedWouldSend(t *testing.T) {
	t.Parallel()
	for _, lang := range []i18n.Language{i18n.English, i18n.French, i18n.German} {
		t.Run(string(lang), func(t *testing.T) {
			t.Parallel()
			ask := func(ifNoneMatch string) *http.Request {
				r, state := withState(httptest.NewRequest(http.MethodGet, "/x", nil), "id")
				state.language = lang
				if ifNoneMatch != "" {
					r.Header.Set("If-None-Match", ifNoneMatch)
				}
				return r
			}
			// given the answer encoded on every request
			want := httptest.NewRecorder()
			writeCached(want, ask(""), http.StatusNotFound, cacheFor{maxAge: time.Minute}, errorResponse(ask(""), http.StatusNotFound, i18n.NoPlansFound))
			for round := range 2 {
				// when the memoised error is written (the first round fills the memo, the second reads it)
				got := httptest.NewRecorder()
				writeCachedError(got, ask(""), http.StatusNotFound, cacheFor{maxAge: time.Minute}, i18n.NoPlansFound)
				// then status, body and validators are the same
				if got.Code != want.Code || got.Body.String() != want.Body.String() ||
					got.Header().Get("ETag") != want.Header().Get("ETag") ||
					got.Header().Get("Cache-Control") != want.Header().Get("Cache-Control") ||
					got.Header().Get("Content-Length") != want.Header().Get("Content-Length") {
					t.Fatalf("round %d: got %d %v %q, want %d %v %q", round, got.Code, got.Header(), got.Body,
						want.Code, want.Header(), want.Body)
				}
			}
			// and a revalidation with that tag is a 304 with no body
			revalidated := httptest.NewRecorder()
			writeCachedError(revalidated, ask(want.Header().Get("ETag")), http.StatusNotFound, cacheFor{maxAge: time.Minute}, i18n.NoPlansFound)
			if revalidated.Code != http.StatusNotModified || revalidated.Body.Len() != 0 {
				t.Fatalf("revalidation = %d %q, want an empty 304", revalidated.Code, revalidated.Body)
			}
		})
	}
}
