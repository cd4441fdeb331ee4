package transport

import (
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/catalogtest"
	"github.com/pelcro-oss/pelcro-api/queries"
)

func TestCatalogChangeIsServedOnTheNextRequest(t *testing.T) {
	t.Parallel()
	plan := fmt.Sprintf("/plan?site_id=%d&plan_id=%d", catalogtest.SiteID, catalogtest.FreePlanID)
	site := fmt.Sprintf("/site?site_id=%d", catalogtest.SiteID) // the plan is among its products
	cases := []struct {
		name, target string
		cached       bool // read through queries.CachedCatalog, as `pelcro serve` does
	}{
		{"plan", plan, false},
		{"plan, cached reads", plan, true},
		{"site", site, false},
		{"site, cached reads", site, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a client that holds the answer's ETag
			env := catalogtest.New(t)
			runner := env.Start()
			env.WaitFor(runner, env.Import(catalogtest.Catalog()))
			var reads CatalogQueries = queries.NewCatalog(env.DB)
			if tc.cached {
				reads = cachedCatalog(env, runner)
			}
			router := newTestRouter(t, Dependencies{Sites: CatalogSites(reads), Catalog: reads})
			target := APIBasePath + tc.target
			first := serve(router, request(http.MethodGet, target, "", ""))
			etag := first.Header().Get("ETag")
			revalidate := func() int {
				req := request(http.MethodGet, target, "", "")
				req.Header.Set("If-None-Match", etag)
				return serve(router, req).Code
			}
			if first.Code != http.StatusOK || etag == "" || revalidate() != http.StatusNotModified {
				t.Fatalf("first answer %d with ETag %q must revalidate to 304", first.Code, etag)
			}

			// when the plan is renamed in a new import and the projections apply it
			changed := catalogtest.Catalog()
			changed.Products[0].Plans[0].Nickname = "Campus pass" // the free plan
			env.WaitFor(runner, env.Import(changed))

			// then the old ETag no longer matches and the next request has the new name
			if code := revalidate(); code != http.StatusOK {
				t.Fatalf("revalidation after the change = %d, want 200", code)
			}
			if body := serve(router, request(http.MethodGet, target, "", "")).Body.String(); !strings.Contains(body, `"nickname":"Campus pass"`) {
				t.Fatalf("answer after the change lacks the new name: %s", body)
			}
		})
	}
}

// planIDs reads the plan ids of {"data": Plan} or {"data": [Plan]}.
func planIDs(t *testing.T, body []byte) []int64 {
	t.Helper()
	var one struct {
		Data struct {
			ID int64 `json:"id"`
		} `json:"data"`
	}
	if json.Unmarshal(body, &one) == nil {
		return []int64{one.Data.ID}
	}
	var many struct {
		Data []struct {
			ID int64 `json:"id"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &many); err != nil {
		t.Fatalf("body %s holds no plans: %v", body, err)
	}
	ids := make([]int64, len(many.Data))
	for i, p := range many.Data {
		ids[i] = p.ID
	}
	return ids
}
