package transport

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/catalogtest"
)

func TestCatalogChangeIsServedOnTheNextRequest(t *testing.T) {
	t.Parallel()
	// given a client that holds the plan's ETag
	router, env := catalogStack(t)
	target := fmt.Sprintf("%s/plan?site_id=%d&plan_id=%d", APIBasePath, catalogtest.SiteID, catalogtest.PaidPlanID)
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

	// when the plan's amount changes in a new import and the projections apply it
	changed := catalogtest.Catalog()
	changed.Products[0].Plans[1].Amount = 750
	runner := env.Start()
	env.WaitFor(runner, env.Import(changed))

	// then the next request sees the new amount, and the old ETag no longer matches
	if code := revalidate(); code != http.StatusOK {
		t.Fatalf("revalidation after the change = %d, want 200", code)
	}
	var body struct {
		Data struct {
			Amount int64 `json:"amount"`
		} `json:"data"`
	}
	if err := json.Unmarshal(serve(router, request(http.MethodGet, target, "", "")).Body.Bytes(), &body); err != nil || body.Data.Amount != 750 {
		t.Fatalf("amount = %d (%v), want 750", body.Data.Amount, err)
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
