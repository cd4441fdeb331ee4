package transport

import (
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/catalogtest"
)

func TestCachedPlanListFollowsCatalogChanges(t *testing.T) {
	t.Parallel()
	// given the router over the cached catalog, as `pelcro serve` wires it, and a client holding the answer
	env := catalogtest.New(t)
	runner := env.Start()
	env.WaitFor(runner, env.Import(catalogtest.Catalog()))
	catalog := cachedCatalog(env, runner)
	router := newTestRouter(t, Dependencies{Sites: CatalogSites(catalog), Catalog: catalog})
	target := fmt.Sprintf("%s/plan/domain/authorization?site_id=%d&email=ada@example.edu", APIBasePath, catalogtest.SiteID)
	first := serve(router, request(http.MethodGet, target, "", ""))
	again := serve(router, request(http.MethodGet, target, "", ""))
	if first.Code != http.StatusOK || !slices.Equal(planIDs(t, first.Body.Bytes()), []int64{catalogtest.FreePlanID}) {
		t.Fatalf("first answer %d %s, want plan %d", first.Code, first.Body, catalogtest.FreePlanID)
	}
	if again.Body.String() != first.Body.String() || again.Header().Get("ETag") != first.Header().Get("ETag") {
		t.Fatalf("the same answer twice differs: %s %s / %s %s", first.Header().Get("ETag"), first.Body,
			again.Header().Get("ETag"), again.Body)
	}

	// when the free plan is renamed in a new import and the running projections apply it
	changed := catalogtest.Catalog()
	for p, product := range changed.Products {
		for i, plan := range product.Plans {
			if plan.ID == catalogtest.FreePlanID {
				changed.Products[p].Plans[i].Nickname = "Renamed campus access"
			}
		}
	}
	env.WaitFor(runner, env.Import(changed))

	// then the next request has the new name and a new ETag, and the old one no longer revalidates
	next := serve(router, request(http.MethodGet, target, "", ""))
	if next.Code != http.StatusOK || next.Body.String() == first.Body.String() ||
		next.Header().Get("ETag") == first.Header().Get("ETag") {
		t.Fatalf("after the change: %d %s %s, before: %s %s", next.Code, next.Header().Get("ETag"), next.Body,
			first.Header().Get("ETag"), first.Body)
	}
	revalidate := request(http.MethodGet, target, "", "")
	revalidate.Header.Set("If-None-Match", first.Header().Get("ETag"))
	if code := serve(router, revalidate).Code; code != http.StatusOK {
		t.Fatalf("revalidation with the old ETag = %d, want 200", code)
	}
}
