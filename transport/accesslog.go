package transport

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/gorilla/mux"
)

// accessLog writes one structured line per request once it is answered. It logs the route template rather
// than the path when a route matched, and never the query string: paths like /newsletter/{email} and
// queries like ?email= carry personal data that must not end up in logs.
func accessLog(log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			started := time.Now()
			next.ServeHTTP(w, r)
			state := stateOf(r)
			attrs := []slog.Attr{
				requestIDs(r),
				slog.String("method", r.Method),
				slog.Int("status", state.response.finalStatus()),
				slog.Int64("bytes", state.response.bytes),
				slog.Float64("duration_ms", float64(time.Since(started).Microseconds())/1000),
				slog.String("language", string(state.language)),
			}
			if state.route != "" {
				attrs = append(attrs, slog.String("route", state.route))
			} else {
				attrs = append(attrs, slog.String("path", r.URL.Path))
			}
			if state.hasSite {
				attrs = append(attrs, slog.Int64("site_id", state.site.ID))
			}
			log.LogAttrs(r.Context(), slog.LevelInfo, "http request", attrs...)
		})
	}
}

// recordRoute is mux middleware on the root router (so it runs for every matched route, subrouters
// included): it stores the matched path template for the access log and the metrics.
func recordRoute(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if route := mux.CurrentRoute(r); route != nil {
			if template, err := route.GetPathTemplate(); err == nil {
				stateOf(r).route = template
			}
		}
		next.ServeHTTP(w, r)
	})
}
