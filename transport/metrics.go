package transport

import (
	"errors"
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"
)

// unmatchedRoute labels requests no route matched (404s, 405s, CORS preflights answered before routing), so
// arbitrary paths can never blow up the label cardinality.
const unmatchedRoute = "unmatched"

// httpMetrics are the RED metrics of the API, labelled by route template rather than path.
type httpMetrics struct {
	requests *prometheus.CounterVec
	duration *prometheus.HistogramVec
	inFlight prometheus.Gauge

	// series holds the children of requests and duration already looked up, by method, route and status:
	// WithLabelValues hashes the label values and takes the vector's lock on every call. Its keys are
	// bounded like the labels (standard methods, route templates, status codes).
	series sync.Map // seriesKey -> seriesMetrics
}

type seriesKey struct {
	method, route string
	status        int
}

type seriesMetrics struct {
	requests prometheus.Counter
	duration prometheus.Observer
}

// newHTTPMetrics registers the HTTP metrics on reg, reusing them when a previous router registered them on
// the same registry (tests and restarts build more than one router).
func newHTTPMetrics(reg prometheus.Registerer) *httpMetrics {
	return &httpMetrics{
		requests: registerOnce(reg, prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "pelcro_http_requests_total",
			Help: "HTTP requests answered, by method, route template and status code.",
		}, []string{"method", "route", "code"})),
		duration: registerOnce(reg, prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name:    "pelcro_http_request_duration_seconds",
			Help:    "Time to answer HTTP requests, by method and route template.",
			Buckets: prometheus.DefBuckets,
		}, []string{"method", "route"})),
		inFlight: registerOnce(reg, prometheus.NewGauge(prometheus.GaugeOpts{
			Name: "pelcro_http_requests_in_flight",
			Help: "HTTP requests being served right now.",
		})),
	}
}

// middleware observes every request once it is answered.
func (m *httpMetrics) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		started := time.Now()
		m.inFlight.Inc()
		defer m.inFlight.Dec()
		next.ServeHTTP(w, r)
		state := stateOf(r)
		route := state.route
		if route == "" {
			route = unmatchedRoute
		}
		series := m.seriesOf(methodLabel(r.Method), route, state.response.finalStatus())
		series.requests.Inc()
		series.duration.Observe(time.Since(started).Seconds())
	})
}

// seriesOf returns the children of one label combination, looking them up in the vectors only once.
func (m *httpMetrics) seriesOf(method, route string, status int) seriesMetrics {
	key := seriesKey{method, route, status}
	if known, ok := m.series.Load(key); ok {
		return known.(seriesMetrics)
	}
	series := seriesMetrics{
		requests: m.requests.WithLabelValues(method, route, strconv.Itoa(status)),
		duration: m.duration.WithLabelValues(method, route),
	}
	m.series.Store(key, series)
	return series
}

// metricsHandler serves the registry in the Prometheus exposition format.
func metricsHandler(gatherer prometheus.Gatherer) http.Handler {
	return promhttp.HandlerFor(gatherer, promhttp.HandlerOpts{})
}

// methodLabel keeps the method label to the standard methods; anything else a client invents is "OTHER".
func methodLabel(method string) string {
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPost, http.MethodPut, http.MethodPatch,
		http.MethodDelete, http.MethodOptions:
		return method
	}
	return "OTHER"
}

// registerOnce registers c, or returns the identical collector already registered. Any other registration
// failure is a programming error (two metrics with one name) and panics at wiring time.
func registerOnce[C prometheus.Collector](reg prometheus.Registerer, c C) C {
	err := reg.Register(c)
	if err == nil {
		return c
	}
	if already, ok := errors.AsType[prometheus.AlreadyRegisteredError](err); ok {
		if existing, ok := already.ExistingCollector.(C); ok {
			return existing
		}
	}
	panic(err)
}
