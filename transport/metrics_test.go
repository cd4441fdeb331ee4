package transport

import (
	"net/http"
	"strings"
	"testing"

	"github.com/prometheus/client_golang/prometheus"
)

func TestMetricsExposeHTTPRequestsByRoute(t *testing.T) {
	t.Parallel()
	// given a router sharing a registry with the rest of the process
	registry := prometheus.NewRegistry()
	other := prometheus.NewCounter(prometheus.CounterOpts{Name: "pelcro_other_total", Help: "another package's metric"})
	registry.MustRegister(other)
	router := newTestRouter(t, Dependencies{Sites: testSites, Metrics: registry})
	// when requests are served
	serve(router, request("GET", probePath+"?site_id=1232", "", ""))
	serve(router, request("GET", probePath+"?site_id=1232", "", ""))
	serve(router, request("GET", probePath, "", ""))
	serve(router, request("GET", "/no/such/path/4711", "", ""))
	serve(router, request("BREW", "/healthz", "", ""))
	rec := serve(router, request("GET", "/metrics", "", ""))
	// then /metrics shows them by route template, method and code, next to the other package's metrics
	body := rec.Body.String()
	for _, want := range []string{
		`pelcro_http_requests_total{code="200",method="GET",route="/api/v1/sdk/probe"} 2`,
		`pelcro_http_requests_total{code="400",method="GET",route="/api/v1/sdk/probe"} 1`,
		`pelcro_http_requests_total{code="404",method="GET",route="unmatched"} 1`,
		`pelcro_http_requests_total{code="405",method="OTHER",route="unmatched"} 1`,
		`pelcro_http_request_duration_seconds_count{method="GET",route="/api/v1/sdk/probe"} 3`,
		`pelcro_http_requests_in_flight 1`,
		`pelcro_other_total 0`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if strings.Contains(body, "4711") {
		t.Errorf("/metrics has a raw path as a label")
	}
	if rec.Code != http.StatusOK {
		t.Fatalf("/metrics status = %d", rec.Code)
	}
}

func TestTwoRoutersShareOneRegistry(t *testing.T) {
	t.Parallel()
	registry := prometheus.NewRegistry()
	newTestRouter(t, Dependencies{Metrics: registry})
	// when a second router registers on the same registry, then it reuses the collectors instead of panicking
	router := newTestRouter(t, Dependencies{Metrics: registry})
	serve(router, request("GET", "/healthz", "", ""))
	body := serve(router, request("GET", "/metrics", "", "")).Body.String()
	if !strings.Contains(body, `pelcro_http_requests_total{code="200",method="GET",route="/healthz"} 1`) {
		t.Fatalf("second router's requests not counted:\n%s", body)
	}
}

func TestDefaultRegistryServesRuntimeMetrics(t *testing.T) {
	t.Parallel()
	body := serve(newRouter(Dependencies{Logger: discardLogger()}), request("GET", "/metrics", "", "")).Body.String()
	if !strings.Contains(body, "go_goroutines") {
		t.Fatalf("default /metrics lacks the Go runtime metrics")
	}
}
