package transport

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/internal/catalogtest"
)

// BenchmarkSite is the router's own cost per GET /site of a site whose product has 20 plans (every
// middleware, the cached catalog, no network), half of the requests revalidating with the ETag they hold
// (304): run it with -benchmem. It reports the process's CPU time per request too (cpu-ns/op).
func BenchmarkSite(b *testing.B) {
	env := catalogtest.New(b)
	runner := env.Start()
	c := catalogtest.Catalog()
	for j := range 20 {
		c.Products[0].Plans = append(c.Products[0].Plans, catalog.Plan{ID: int64(1000 + j), PlanAttributes: catalog.PlanAttributes{
			Nickname: fmt.Sprintf("Plan %d", j), Description: "Digital access to every article and the archive",
			Amount: 1200, Currency: "usd", Interval: "year", IntervalCount: 1, AutoRenew: true,
			Countries: []string{"US", "CA"}, Entitlements: []string{"articles", "archive"}}})
	}
	env.WaitFor(runner, env.Import(c))
	cached := cachedCatalog(env, runner)
	router := newRouter(Dependencies{Sites: CatalogSites(cached), Catalog: cached, Logger: discardLogger()})
	target := fmt.Sprintf("%s/site?site_id=%d", APIBasePath, catalogtest.SiteID)
	first := httptest.NewRecorder()
	router.ServeHTTP(first, httptest.NewRequest(http.MethodGet, target, nil))
	etag := first.Header().Get("ETag")
	b.ReportAllocs()
	cpuBefore := processCPUTime(b)
	i := 0
	for b.Loop() {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		want := http.StatusOK
		if i%2 == 1 {
			req.Header.Set("If-None-Match", etag)
			want = http.StatusNotModified
		}
		i++
		rec := httptest.NewRecorder()
		router.ServeHTTP(rec, req)
		if rec.Code != want {
			b.Fatalf("GET %s = %d, want %d", target, rec.Code, want)
		}
	}
	b.ReportMetric(float64(processCPUTime(b)-cpuBefore)/float64(b.N), "cpu-ns/op")
	b.ReportMetric(float64(first.Body.Len()), "body-bytes")
}
