package transport

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/catalogtest"
	"github.com/pelcro-oss/pelcro-api/queries"
	"github.com/pelcro-oss/pelcro-api/transport/openapitest"
)

// profileClient calls the router as one front end would: on the news site of catalogtest, with a
// customer's token when it has one, every answer checked against the OpenAPI document.
type profileClient struct {
	router  http.Handler
	checker *openapitest.Checker
	token   string
}

// newProfileClient builds the router over deps (customerStack) and signs nobody in.
func newProfileClient(t *testing.T, deps Dependencies) *profileClient {
	t.Helper()
	return &profileClient{router: newTestRouter(t, deps), checker: documentChecker(t)}
}

// profileSiteQuery is the query string every call starts with.
var profileSiteQuery = "?site_id=" + strconv.FormatInt(catalogtest.SiteID, 10)

// send sends a request to path (under the API base, query included, site_id added when absent) with the
// client's token, checks the answer against the document and its status, and returns it.
func (c *profileClient) send(t *testing.T, req *http.Request, wantStatus int) *httptest.ResponseRecorder {
	t.Helper()
	if c.token != "" && req.Header.Get("Authorization") == "" {
		req.Header.Set("Authorization", "Bearer "+c.token)
	}
	rec := serve(c.router, req)
	c.checker.CheckResponse(t, req, rec)
	if rec.Code != wantStatus {
		t.Fatalf("%s %s = %d %s, want %d", req.Method, req.URL, rec.Code, rec.Body, wantStatus)
	}
	return rec
}

// call sends a JSON (or empty) body and returns the decoded answer.
func (c *profileClient) call(t *testing.T, method, path, body string, wantStatus int) map[string]any {
	t.Helper()
	contentType := ""
	if body != "" {
		contentType = "application/json"
	}
	return decodeBody[map[string]any](t, c.send(t, request(method, profileTarget(path), contentType, body), wantStatus))
}

// form sends a form-encoded body and returns the decoded answer.
func (c *profileClient) form(t *testing.T, method, path, body string, wantStatus int) map[string]any {
	t.Helper()
	req := request(method, profileTarget(path), "application/x-www-form-urlencoded", body)
	return decodeBody[map[string]any](t, c.send(t, req, wantStatus))
}

// profileTarget puts path under the API base and adds the site when the query names none.
func profileTarget(path string) string {
	if strings.Contains(path, "site_id=") {
		return APIBasePath + path
	}
	if strings.Contains(path, "?") {
		return APIBasePath + path + "&" + profileSiteQuery[1:]
	}
	return APIBasePath + path + profileSiteQuery
}

// profileData is the Customer of an answer, failing the test when there is none.
func profileData(t *testing.T, answer map[string]any) map[string]any {
	t.Helper()
	data, ok := answer["data"].(map[string]any)
	if !ok {
		t.Fatalf("answer %v has no data object", answer)
	}
	return data
}

// profileFreshToken returns the answer's JWT after checking auth_token and token agree and differ from the
// one sent (a fresh JWT, rule 3).
func profileFreshToken(t *testing.T, answer map[string]any, sent string) string {
	t.Helper()
	data := profileData(t, answer)
	token, _ := data["auth_token"].(string)
	if token == "" || data["token"] != token {
		t.Fatalf("auth_token %v and token %v, want one JWT in both", data["auth_token"], data["token"])
	}
	if token == sent {
		t.Fatalf("the answer repeats the token sent, want a fresh one")
	}
	return token
}

// profileFieldMessages returns the messages of a validation answer for one field.
func profileFieldMessages(t *testing.T, answer map[string]any, field string) []string {
	t.Helper()
	errs, ok := answer["errors"].(map[string]any)
	if !ok {
		t.Fatalf("answer %v is not in the validation shape", answer)
	}
	var out []string
	for _, m := range errs[field].([]any) {
		out = append(out, m.(string))
	}
	return out
}

// profileErrorMessage returns the message of an answer in the single-error shape.
func profileErrorMessage(t *testing.T, answer map[string]any) string {
	t.Helper()
	detail, ok := answer["error"].(map[string]any)
	if !ok {
		t.Fatalf("answer %v is not in the error shape", answer)
	}
	return detail["message"].(string)
}

// profileVerifyingCatalog is the catalog with email verification turned on for every site (rule 10).
type profileVerifyingCatalog struct{ CatalogQueries }

func (c profileVerifyingCatalog) Site(ctx context.Context, id int64) (queries.Site, error) {
	site, err := c.CatalogQueries.Site(ctx, id)
	site.EmailVerifyEnabled = true
	return site, err
}
