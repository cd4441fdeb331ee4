package transport

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"syscall"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/internal/catalogtest"
)

// BenchmarkDomainAuthorization is the router's own cost per request of the endpoint `make bench-http` loads
// (every middleware, the cached catalog, no network), alternating a 200 and a 404: run it with -benchmem
// and -cpuprofile to see where a request's time goes without the noise of sockets. It reports the
// process's CPU time per request too (cpu-ns/op), which other work on the machine moves far less than
// ns/op.
func BenchmarkDomainAuthorization(b *testing.B) {
	env := catalogtest.New(b)
	runner := env.Start()
	env.WaitFor(runner, env.Import(catalogtest.Catalog()))
	catalog := cachedCatalog(env, runner)
	router := newRouter(Dependencies{Sites: CatalogSites(catalog), Catalog: catalog, Logger: discardLogger()})
	targets := []struct {
		url    string
		status int
	}{
		{fmt.Sprintf("%s/plan/domain/authorization?site_id=%d&email=ada%%40example.edu", APIBasePath, catalogtest.SiteID), http.StatusOK},
		{fmt.Sprintf("%s/plan/domain/authorization?site_id=%d&email=ada%%40paid.edu", APIBasePath, catalogtest.SiteID), http.StatusNotFound},
	}
	b.ReportAllocs()
	cpuBefore := processCPUTime(b)
	i := 0
	for b.Loop() {
		target := targets[i%len(targets)]
		i++
		rec := httptest.NewRecorder()
		router.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, target.url, nil))
		if rec.Code != target.status {
			b.Fatalf("GET %s = %d, want %d", target.url, rec.Code, target.status)
		}
	}
	// CPU time rather than wall time is what a shared machine leaves comparable between runs.
	b.ReportMetric(float64(processCPUTime(b)-cpuBefore)/float64(b.N), "cpu-ns/op")
}

// processCPUTime is the CPU time (user and system) the process has used so far.
func processCPUTime(b *testing.B) time.Duration {
	var usage syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &usage); err != nil {
		b.Fatal(err)
	}
	return time.Duration(usage.Utime.Nano() + usage.Stime.Nano())
}
