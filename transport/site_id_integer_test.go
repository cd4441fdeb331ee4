package transport

import (
	"net/http"
	"net/url"
	"reflect"
	"testing"
)

func TestBadSiteIDsAnswerTheDocumented400WhereverTheyAreSent(t *testing.T) {
	t.Parallel()
	router := newTestRouter(t, Dependencies{Sites: testSites})
	checker := documentChecker(t)
	const (
		required = "The site id field is required."
		integer  = "The site id must be an integer."
		invalid  = "The selected site id is invalid."
	)
	inputs := []struct {
		name, text, json, want string
	}{
		{"letters", "abc", `"abc"`, integer},
		{"negative", "-5", `-5`, invalid},
		{"beyond int64", "99999999999999999999", `99999999999999999999`, invalid},
		{"a fraction", "12.5", `12.5`, integer},
		{"empty", "", `""`, required},
	}
	for _, in := range inputs {
		query := APIBasePath + "/site?site_id=" + url.QueryEscape(in.text)
		sources := []siteIDSource{
			{"query", request(http.MethodGet, query, "", ""), true},
			{"JSON body", request(http.MethodPost, probePath, "application/json", `{"site_id":`+in.json+`}`), false},
			{"form body", request(http.MethodPost, probePath, "application/x-www-form-urlencoded",
				"site_id="+url.QueryEscape(in.text)), false},
		}
		if in.text != "" { // an empty path segment matches no route
			path := APIBasePath + "/ecommerce/products/site/" + url.PathEscape(in.text)
			sources = append(sources, siteIDSource{"path", request(http.MethodGet, path, "", ""), true})
		}
		for _, source := range sources {
			t.Run(in.name+" in the "+source.name, func(t *testing.T) {
				t.Parallel()
				// when a site-scoped endpoint is called with the bad site_id
				rec := serve(router, source.req)
				// then it answers 400 in the validation shape, keyed by site_id, as the document says
				if rec.Code != http.StatusBadRequest {
					t.Fatalf("status = %d, want 400; body %s", rec.Code, rec.Body)
				}
				got := decodeBody[map[string]map[string][]string](t, rec)
				if want := map[string]map[string][]string{"errors": {"site_id": {in.want}}}; !reflect.DeepEqual(got, want) {
					t.Fatalf("body = %v, want %v", got, want)
				}
				if source.documented {
					checker.CheckResponse(t, source.req, rec)
				}
			})
		}
	}
}

// siteIDSource is one way of sending site_id; documented says the OpenAPI document lists the endpoint (the
// probe is test-only).
type siteIDSource struct {
	name       string
	req        *http.Request
	documented bool
}
