package transport

import (
	"log/slog"
	"net/http"
	"time"
)

// accessLogMessage is the message of every access line.
const accessLogMessage = "http request"

// accessLog writes one structured line per request once it is answered. It logs the route template rather
// than the path when a route matched, and never the query string: paths like /newsletter/{email} and
// queries like ?email= carry personal data that must not end up in logs.
//
// It hands its record straight to the logger's handler, as slog.Logger.LogAttrs would but without looking
// up the caller's program counter on every request: the source of an access line is always this function,
// so a handler set to AddSource shows no source for it. Every value is a string or an integer: slog's JSON
// handler formats a float through encoding/json (reflection and allocations), so the duration is whole
// microseconds.
func accessLog(log *slog.Logger) func(http.Handler) http.Handler {
	handler := log.Handler()
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			started := time.Now()
			next.ServeHTTP(w, r)
			ctx := r.Context()
			if !handler.Enabled(ctx, slog.LevelInfo) {
				return
			}
			state := stateOf(r)
			ended := time.Now()
			// Collected first and added in one call: a record keeps five attributes inline and grows a slice
			// for the rest, once per AddAttrs call that overflows.
			attrs := [8]slog.Attr{
				requestIDs(r),
				slog.String("method", r.Method),
				slog.Int("status", state.response.finalStatus()),
				slog.Int64("bytes", state.response.bytes),
				slog.Int64("duration_us", ended.Sub(started).Microseconds()),
				slog.String("language", string(state.language)),
			}
			n := 6
			if state.route != "" {
				attrs[n] = slog.String("route", state.route)
			} else {
				attrs[n] = slog.String("path", r.URL.Path)
			}
			n++
			if state.hasSite {
				attrs[n] = slog.Int64("site_id", state.site.ID)
				n++
			}
			line := slog.NewRecord(ended, slog.LevelInfo, accessLogMessage, 0)
			line.AddAttrs(attrs[:n]...)
			_ = handler.Handle(ctx, line)
		})
	}
}
