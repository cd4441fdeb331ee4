package transport

import (
	"encoding/json"
	"fmt"
	"net/http"
	"slices"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/catalogtest"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// siteProducts is GET /site's products, each plan kept as the bytes the site served.
type siteProducts struct {
	Data struct {
		Products []struct {
			ID    int64             `json:"id"`
			Plans []json.RawMessage `json:"plans"`
		} `json:"products"`
	} `json:"data"`
}

func TestGetSiteListsProductsWithThePlansOnSaleToEverybody(t *testing.T) {
	t.Parallel()
	// given the fixture catalog: the news site's product has a free, a retired, a wildcard-only plan and a
	// paid plan restricted to the students segment; the other site has a product of its own
	env := catalogtest.New(t)
	runner := env.Start()
	env.WaitFor(runner, env.Import(catalogtest.Catalog()))
	plain := queries.NewCatalog(env.DB)
	cached := cachedCatalog(env, runner)
	checker := documentChecker(t)
	cases := []struct {
		name      string
		catalog   CatalogQueries
		site      int64
		wantPlans map[int64][]int64 // product id → plan ids, in order
	}{
		{"news site, uncached reads", plain, catalogtest.SiteID, map[int64][]int64{catalogtest.ProductID: {
			catalogtest.FreePlanID, catalogtest.WildcardPlanID}}},
		{"news site, cached reads", cached, catalogtest.SiteID, map[int64][]int64{catalogtest.ProductID: {
			catalogtest.FreePlanID, catalogtest.WildcardPlanID}}},
		{"other site", cached, catalogtest.OtherSiteID, map[int64][]int64{20: {catalogtest.OtherSitePlanID}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			router := newTestRouter(t, Dependencies{Sites: CatalogSites(tc.catalog), Catalog: tc.catalog})
			// when the site is asked for
			req := request(http.MethodGet, fmt.Sprintf("%s/site?site_id=%d", APIBasePath, tc.site), "", "")
			rec := serve(router, req)
			checker.CheckResponse(t, req, rec)
			if rec.Code != http.StatusOK || rec.Header().Get("Cache-Control") != "max-age=300" {
				t.Fatalf("GET /site = %d, Cache-Control %q: %s", rec.Code, rec.Header().Get("Cache-Control"), rec.Body)
			}
			// then it lists its own products only, with the plans on sale to everybody (neither retired nor
			// restricted to a segment), each plan exactly the bytes GET /plan answers with
			got := map[int64][]int64{}
			for _, product := range decodeBody[siteProducts](t, rec).Data.Products {
				for _, raw := range product.Plans {
					id := planIDs(t, []byte(`{"data":`+string(raw)+`}`))[0]
					got[product.ID] = append(got[product.ID], id)
					planReq := request(http.MethodGet, fmt.Sprintf("%s/plan?site_id=%d&plan_id=%d", APIBasePath, tc.site, id), "", "")
					want := decodeBody[struct{ Data json.RawMessage }](t, serve(router, planReq)).Data
					if string(raw) != string(want) {
						t.Errorf("plan %d in GET /site:\n%s\nGET /plan:\n%s", id, raw, want)
					}
				}
			}
			if len(got) != len(tc.wantPlans) {
				t.Fatalf("products = %v, want %v", got, tc.wantPlans)
			}
			for product, plans := range tc.wantPlans {
				if !slices.Equal(got[product], plans) {
					t.Fatalf("plans of product %d = %v, want %v", product, got[product], plans)
				}
			}
		})
	}
}

func TestEncodedSiteIsReusedOnlyForTheSameAnswer(t *testing.T) {
	t.Parallel()
	// given a memo that encoded an answer for a site
	var memo encodedSites
	answer := &queries.SiteCatalog{Site: queries.Site{ID: 7, Name: "Before"}, Products: []queries.SiteProduct{}}
	first, err := memo.body(answer)
	if err != nil {
		t.Fatal(err)
	}
	cases := []struct {
		name     string
		answer   *queries.SiteCatalog
		wantSame bool
	}{
		{"the same answer again", answer, true},
		{"a new answer for the site", &queries.SiteCatalog{Site: queries.Site{ID: 7, Name: "After"}}, false},
		{"an equal answer at another address", &queries.SiteCatalog{Site: queries.Site{ID: 7, Name: "Before"}, Products: []queries.SiteProduct{}}, false},
	}
	for _, tc := range cases { // in order: each case replaces the site's entry
		// when the memo is asked for the body of the answer
		got, err := memo.body(tc.answer)
		if err != nil {
			t.Fatal(err)
		}
		// then it hands out the memoised bytes only for the very answer they were built from
		if same := &got.body[0] == &first.body[0]; same != tc.wantSame {
			t.Fatalf("%s: reused %v, want %v (%s)", tc.name, same, tc.wantSame, got.body)
		}
		if want, _ := json.Marshal(dataBody{Data: tc.answer}); string(got.body) != string(want) {
			t.Fatalf("%s: body %s, want %s", tc.name, got.body, want)
		}
	}
}
