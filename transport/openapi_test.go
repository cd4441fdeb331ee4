package transport

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pelcro-oss/pelcro-api/transport/openapitest"
)

// documentChecker validates the served document and returns a checker over it.
func documentChecker(t *testing.T) *openapitest.Checker {
	t.Helper()
	document, err := OpenAPIDocument()
	if err != nil {
		t.Fatal(err)
	}
	return openapitest.New(t, document)
}

func TestDocumentedEndpointsAnswerAsDocumented(t *testing.T) {
	t.Parallel()
	checker := documentChecker(t)
	down := ReadinessCheck{Name: "eventstore", Check: func(context.Context) error { return errors.New("refused") }}
	healthy := newTestRouter(t, Dependencies{Sites: testSites})
	unready := newTestRouter(t, Dependencies{Sites: testSites, Readiness: []ReadinessCheck{down}})
	stopped := ReadinessCheck{Name: "readmodels", Check: func(context.Context) error {
		return detailedFailure{text: "p.v1 stopped", degraded: true}
	}}
	degraded := newTestRouter(t, Dependencies{Sites: testSites, Readiness: []ReadinessCheck{stopped}})
	etag := serve(healthy, request("GET", APIBasePath+"/openapi.json", "", "")).Header().Get("ETag")
	revalidation := request("GET", APIBasePath+"/openapi.json", "", "")
	revalidation.Header.Set("If-None-Match", etag)
	cases := []struct {
		name       string
		router     http.Handler
		req        *http.Request
		wantStatus int
	}{
		{"healthz", healthy, request("GET", "/healthz", "", ""), 200},
		{"readyz ready", healthy, request("GET", "/readyz", "", ""), 200},
		{"readyz down", unready, request("GET", "/readyz", "", ""), 503},
		{"readyz degraded", degraded, request("GET", "/readyz", "", ""), 200},
		{"openapi.json", healthy, request("GET", APIBasePath+"/openapi.json", "", ""), 200},
		{"openapi.json revalidated", healthy, revalidation, 304},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			rec := serve(tc.router, tc.req)
			if rec.Code != tc.wantStatus {
				t.Fatalf("status = %d, want %d", rec.Code, tc.wantStatus)
			}
			checker.CheckResponse(t, tc.req, rec)
		})
	}
}

func TestErrorResponsesMatchTheDocumentedShapes(t *testing.T) {
	t.Parallel()
	checker := documentChecker(t)
	router := newTestRouter(t, Dependencies{Sites: testSites, MaxBodyBytes: 16})
	cases := []struct {
		name, schema string
		req          *http.Request
	}{
		{"missing site_id", "ValidationErrors", request("GET", probePath, "", "")},
		{"unknown site_id", "ValidationErrors", request("GET", probePath+"?site_id=9", "", "")},
		{"malformed JSON", "Error", request("POST", probePath, "application/json", "{")},
		{"too large", "Error", request("POST", probePath, "application/json", strings.Repeat(" ", 17))},
		{"unsupported type", "Error", request("POST", probePath, "text/csv", "a,b")},
		{"unknown path", "Error", request("GET", APIBasePath+"/nowhere", "", "")},
		{"wrong method", "Error", request("PATCH", "/healthz", "", "")},
		{"panic", "Error", request("GET", probePath+"?site_id=1232&panic=1", "", "")},
		{"cached 404", "Error", request("GET", probePath+"?site_id=1232&missing=1", "", "")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			checker.CheckSchema(t, tc.schema, serve(router, tc.req).Body.Bytes())
		})
	}
}

func TestDocumentAssemblyRefusesAPathDeclaredTwice(t *testing.T) {
	t.Parallel()
	// given two resource families claiming the same path
	files := fstest.MapFS{
		"openapi/openapi.yaml":   {Data: []byte("openapi: 3.0.3\ninfo: {title: t, version: '1'}\n")},
		"openapi/paths/a.yaml":   {Data: []byte("/site:\n  get: {responses: {'200': {description: ok}}}\n")},
		"openapi/paths/b.yaml":   {Data: []byte("/site:\n  post: {responses: {'200': {description: ok}}}\n")},
		"openapi/paths/c.yaml":   {Data: []byte("/plan:\n  get: {responses: {'200': {description: ok}}}\n")},
		"openapi/paths/README":   {Data: []byte("not a paths file")},
		"openapi/other/x.yaml":   {Data: []byte("ignored: true\n")},
		"openapi/paths/bad.yml":  {Data: []byte("ignored, not .yaml")},
		"openapi/paths/z/y.yaml": {Data: []byte("ignored: nested\n")},
	}
	// when the document is assembled, then the clash is reported with the second file's name
	_, err := assembleOpenAPI(files)
	if err == nil || !strings.Contains(err.Error(), "openapi/paths/b.yaml") || !strings.Contains(err.Error(), "/site") {
		t.Fatalf("assembleOpenAPI = %v, want a clash on /site in b.yaml", err)
	}
}
