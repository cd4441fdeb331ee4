// Package openapitest checks real HTTP responses against the API's OpenAPI document, so the document cannot
// drift from what the handlers send. Tests of every endpoint should pass their responses through it.
package openapitest

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/getkin/kin-openapi/openapi3filter"
	"github.com/getkin/kin-openapi/routers"
	"github.com/getkin/kin-openapi/routers/gorillamux"
)

// Checker holds a validated OpenAPI document and the router that finds an operation for a request.
type Checker struct {
	doc    *openapi3.T
	router routers.Router
}

// New parses and validates the document (JSON), failing the test when it is not a valid OpenAPI 3 document.
func New(t testing.TB, document []byte) *Checker {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(document)
	if err != nil {
		t.Fatalf("openapitest: load document: %v", err)
	}
	if err := doc.Validate(context.Background()); err != nil {
		t.Fatalf("openapitest: invalid document: %v", err)
	}
	router, err := gorillamux.NewRouter(doc)
	if err != nil {
		t.Fatalf("openapitest: route document: %v", err)
	}
	return &Checker{doc: doc, router: router}
}

// CheckResponse fails the test unless the document describes req's operation and the response matches it:
// a documented status code, the documented content type, a body valid against the schema and the
// documented headers. Statuses without a body to check (304) only need to be documented.
func (c *Checker) CheckResponse(t testing.TB, req *http.Request, rec *httptest.ResponseRecorder) {
	t.Helper()
	route, pathParams, err := c.router.FindRoute(req)
	if err != nil {
		t.Fatalf("openapitest: %s %s is not in the document: %v", req.Method, req.URL.Path, err)
	}
	if route.Operation.Responses.Status(rec.Code) == nil {
		t.Fatalf("openapitest: %s %s answered %d, which the document does not list", req.Method, req.URL.Path, rec.Code)
	}
	input := &openapi3filter.ResponseValidationInput{
		RequestValidationInput: &openapi3filter.RequestValidationInput{
			Request: req, PathParams: pathParams, Route: route,
		},
		Status:  rec.Code,
		Header:  rec.Header(),
		Options: &openapi3filter.Options{IncludeResponseStatus: true, MultiError: true},
	}
	input.SetBodyBytes(rec.Body.Bytes())
	if err := openapi3filter.ValidateResponse(req.Context(), input); err != nil {
		t.Fatalf("openapitest: %s %s answered %d off the document: %v\nbody: %s", req.Method, req.URL.Path, rec.Code, err, rec.Body)
	}
}

// CheckSchema fails the test unless body (JSON) is valid against components/schemas/<name>. It checks the
// shared shapes (Error, ValidationErrors) of responses from handlers the document does not list yet.
func (c *Checker) CheckSchema(t testing.TB, name string, body []byte) {
	t.Helper()
	ref, ok := c.doc.Components.Schemas[name]
	if !ok {
		t.Fatalf("openapitest: no schema %q in the document", name)
	}
	var value any
	if err := json.NewDecoder(bytes.NewReader(body)).Decode(&value); err != nil {
		t.Fatalf("openapitest: body is not JSON: %v: %s", err, body)
	}
	if err := ref.Value.VisitJSON(value); err != nil {
		t.Fatalf("openapitest: body does not match schema %s: %v\nbody: %s", name, err, body)
	}
}
