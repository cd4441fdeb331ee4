package openapitest

import (
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
)

const document = `{
  "openapi": "3.0.3",
  "info": {"title": "t", "version": "1"},
  "servers": [{"url": "/api"}],
  "paths": {
    "/things/{id}": {
      "get": {
        "parameters": [{"name": "id", "in": "path", "required": true, "schema": {"type": "integer"}}],
        "responses": {
          "200": {"description": "ok", "content": {"application/json": {"schema": {"$ref": "#/components/schemas/Thing"}}}}
        }
      }
    }
  },
  "components": {"schemas": {"Thing": {
    "type": "object", "required": ["data"],
    "properties": {"data": {"type": "object", "required": ["name"], "properties": {"name": {"type": "string"}}}}
  }}}
}`

// failureRecorder is a testing.TB that records a Fatalf instead of failing the real test.
type failureRecorder struct {
	testing.TB
	mu      sync.Mutex
	message string
}

func (f *failureRecorder) Helper() {}

func (f *failureRecorder) Fatalf(format string, args ...any) {
	f.mu.Lock()
	f.message = format
	f.mu.Unlock()
	runtime.Goexit()
}

// failure runs check against a recorder and returns the Fatalf format it reached, "" when it passed.
func failure(t *testing.T, check func(tb testing.TB)) string {
	recorder := &failureRecorder{TB: t}
	done := make(chan struct{})
	go func() {
		defer close(done)
		check(recorder)
	}()
	<-done
	return recorder.message
}

func TestCheckResponse(t *testing.T) {
	t.Parallel()
	checker := New(t, []byte(document))
	cases := []struct {
		name, target, contentType, body string
		status                          int
		wantFailure                     string
	}{
		{"documented response", "/api/things/1", "application/json", `{"data":{"name":"x"}}`, 200, ""},
		{"body off the schema", "/api/things/1", "application/json", `{"data":{}}`, 200, "off the document"},
		{"undocumented status", "/api/things/1", "application/json", `{}`, 418, "does not list"},
		{"undocumented path", "/api/other", "application/json", `{}`, 200, "is not in the document"},
		{"undocumented content type", "/api/things/1", "text/plain", `hi`, 200, "off the document"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a response as a handler wrote it
			rec := httptest.NewRecorder()
			rec.Header().Set("Content-Type", tc.contentType)
			rec.WriteHeader(tc.status)
			rec.WriteString(tc.body)
			// when it is checked against the document
			got := failure(t, func(tb testing.TB) {
				checker.CheckResponse(tb, httptest.NewRequest(http.MethodGet, tc.target, nil), rec)
			})
			// then only responses off the document fail, with a reason
			if (tc.wantFailure == "") != (got == "") || !strings.Contains(got, tc.wantFailure) {
				t.Fatalf("failure = %q, want one containing %q", got, tc.wantFailure)
			}
		})
	}
}

func TestCheckSchema(t *testing.T) {
	t.Parallel()
	checker := New(t, []byte(document))
	cases := []struct{ name, schema, body, wantFailure string }{
		{"valid", "Thing", `{"data":{"name":"x"}}`, ""},
		{"invalid", "Thing", `{"data":{"name":1}}`, "does not match"},
		{"not JSON", "Thing", `{`, "not JSON"},
		{"unknown schema", "Nothing", `{}`, "no schema"},
	}
	for _, tc := range cases {
		got := failure(t, func(tb testing.TB) { checker.CheckSchema(tb, tc.schema, []byte(tc.body)) })
		if (tc.wantFailure == "") != (got == "") || !strings.Contains(got, tc.wantFailure) {
			t.Errorf("%s: failure = %q, want one containing %q", tc.name, got, tc.wantFailure)
		}
	}
}

func TestNewRefusesAnInvalidDocument(t *testing.T) {
	t.Parallel()
	got := failure(t, func(tb testing.TB) { New(tb, []byte(`{"openapi":"3.0.3","paths":{}}`)) })
	if !strings.Contains(got, "invalid document") {
		t.Fatalf("failure = %q, want the document refused", got)
	}
}
