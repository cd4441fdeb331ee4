package transport

import (
	"io"
	"net/http"
	"strings"
	"testing"
)

func TestIdempotencyKeyIsCheckedOnMutationsOnly(t *testing.T) {
	t.Parallel()
	checker := documentChecker(t)
	// given a router without an idempotency store: none of these requests may reach it
	router := newTestRouter(t, Dependencies{Sites: testSites, MaxBodyBytes: 64})
	cases := []struct {
		name       string
		method     string
		keys       []string
		body       string
		wantStatus int
	}{
		{"empty", http.MethodPost, []string{""}, "", http.StatusBadRequest},
		{"256 characters", http.MethodPut, []string{strings.Repeat("k", 256)}, "", http.StatusBadRequest},
		{"a control character", http.MethodPost, []string{"key\tone"}, "", http.StatusBadRequest},
		{"not ASCII", http.MethodPost, []string{"clé"}, "", http.StatusBadRequest},
		{"sent twice", http.MethodPost, []string{"one", "two"}, "", http.StatusBadRequest},
		// the body is read whole to be fingerprinted, within the usual cap
		{"an oversized body", http.MethodPost, []string{"key"}, strings.Repeat(" ", 65), http.StatusRequestEntityTooLarge},
		// and reads are not concerned
		{"a read", http.MethodGet, []string{"\x01"}, "", http.StatusOK},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := request(tc.method, probePath+"?site_id=1232", "application/json", tc.body)
			req.Header[idempotencyKeyHeader] = tc.keys
			req.ContentLength = -1 // found out while reading, as a chunked upload
			rec := serve(router, req)
			if rec.Code != tc.wantStatus {
				t.Fatalf("status = %d %s, want %d", rec.Code, rec.Body, tc.wantStatus)
			}
			if tc.wantStatus == http.StatusBadRequest {
				got := decodeBody[validationBody](t, rec).Errors[idempotencyKeyHeader]
				if len(got) != 1 || got[0] != "The Idempotency-Key header must be 1 to 255 printable ASCII characters." {
					t.Fatalf("errors = %s", rec.Body)
				}
				checker.CheckSchema(t, "ValidationErrors", rec.Body.Bytes())
			}
		})
	}
}

func TestAMultipartBodyIsTheSameRequestWhateverItsBoundary(t *testing.T) {
	t.Parallel()
	photo := []byte("\x89PNG not really")
	// given the same photo sent twice, each time with a fresh boundary
	first, second := photoUpload(t, "", "profile_photo", photo), photoUpload(t, "", "profile_photo", photo)
	other := photoUpload(t, "", "profile_photo", []byte("\x89PNG another"))
	if first.Header.Get("Content-Type") == second.Header.Get("Content-Type") {
		t.Fatal("the two bodies share a boundary")
	}
	digest := func(r *http.Request) string {
		raw, err := io.ReadAll(r.Body)
		if err != nil {
			t.Fatal(err)
		}
		return string(bodyDigest(r.Header.Get("Content-Type"), raw))
	}
	// then both digest alike, and another photo does not
	if a, b, c := digest(first), digest(second), digest(other); a != b || a == c {
		t.Fatalf("digests: same photo equal %v, other photo different %v", a == b, a != c)
	}
}

func TestSaneIdempotencyKeyTakesUpTo255PrintableCharacters(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name string
		key  string
		sane bool
	}{
		{"255 printable characters", strings.Repeat("~ ", 127) + "k", true},
		{"256 characters", strings.Repeat("k", 256), false},
		{"a control character", "key\tone", false},
	} {
		// given a key, when it is checked, then only sane ones pass
		if got := saneIdempotencyKey(tc.key); got != tc.sane {
			t.Errorf("%s: sane = %v, want %v", tc.name, got, tc.sane)
		}
	}
}
