package transport

import (
	"net/http"
	"slices"
	"strings"

	"github.com/gorilla/mux"
)

// routeGroup registers endpoints sharing a path prefix and middleware on one flat gorilla/mux router. Each
// handler is wrapped in the group's middleware once, at wiring time, where mux's Use would wrap it again on
// every request (a closure per middleware per request); and every route checks the request path by plain
// string comparison before mux runs its regular expression (pathGuard), so a request tries one expression,
// not one per route listed before its own.
//
// The table stays flat on purpose: gorilla/mux remembers a method mismatch only until a later route's
// matcher succeeds, so nested subrouters answered a wrong method with 404 (see methodNotAllowed). Routes are
// walkable with mux.Walk and their templates are the full paths.
type routeGroup struct {
	router     *mux.Router
	prefix     string
	middleware []func(http.Handler) http.Handler // middleware[0] runs first
}

// with returns a group of the same router and prefix whose handlers also run middleware, after the group's.
func (g routeGroup) with(middleware ...func(http.Handler) http.Handler) routeGroup {
	g.middleware = append(slices.Clip(g.middleware), middleware...)
	return g
}

// Handle registers h at the group's prefix + path (a mux template); add methods on the returned route.
func (g routeGroup) Handle(path string, h http.Handler) *mux.Route {
	template := g.prefix + path
	return g.router.NewRoute().MatcherFunc(pathGuard(template)).Path(template).
		Handler(recordRoute(template, chain(h, g.middleware...)))
}

// HandleFunc is Handle of a function.
func (g routeGroup) HandleFunc(path string, f http.HandlerFunc) *mux.Route { return g.Handle(path, f) }

// HandlePrefix registers h for every path under the group's prefix + prefix.
func (g routeGroup) HandlePrefix(prefix string, h http.Handler) *mux.Route {
	template := g.prefix + prefix
	return g.router.NewRoute().MatcherFunc(func(r *http.Request, _ *mux.RouteMatch) bool {
		return strings.HasPrefix(r.URL.Path, template)
	}).PathPrefix(template).Handler(recordRoute(template, chain(h, g.middleware...)))
}

// pathGuard is a cheap necessary condition of a mux path template: the path equals a template without
// variables; for a template whose variables each fill a whole segment ("/customers/{customer_id}/as-of"), the
// path has as many segments, its literal ones equal and the others not empty, which is exactly what mux's
// expression accepts; for any other template, the path starts with the literal text before the first
// variable. It never refuses a path the template's expression accepts, so mux's answer is unchanged; it
// only spares the expression of the routes a path cannot match.
//
// The guard must not accept a path the expression then refuses, where it can help it: mux forgets that an
// earlier route matched all but the method as soon as a later route's first matcher (this guard) succeeds,
// and would answer a wrong method with 404 instead of 405 (see methodNotAllowed).
//
// Warning: it assumes mux matches the decoded path (req.URL.Path), its default. A router switched to
// UseEncodedPath would need the guard to read the escaped path too.
func pathGuard(template string) mux.MatcherFunc {
	i := strings.IndexByte(template, '{')
	if i < 0 {
		return func(r *http.Request, _ *mux.RouteMatch) bool { return r.URL.Path == template }
	}
	literal := template[:i]
	segments, whole := templateSegments(template)
	if !whole {
		return func(r *http.Request, _ *mux.RouteMatch) bool { return strings.HasPrefix(r.URL.Path, literal) }
	}
	return func(r *http.Request, _ *mux.RouteMatch) bool {
		path := r.URL.Path
		if !strings.HasPrefix(path, literal) || strings.Count(path, "/") != len(segments)-1 {
			return false
		}
		for _, segment := range segments {
			var got string
			got, path, _ = strings.Cut(path, "/")
			if (segment == variableSegment && got == "") || (segment != variableSegment && got != segment) {
				return false
			}
		}
		return true
	}
}

// variableSegment stands for a template segment that is one variable: no literal segment holds a brace.
const variableSegment = "{"

// templateSegments splits a template at its slashes (variableSegment for a segment that is a variable);
// whole is false when a variable does not fill its segment or names its own pattern.
func templateSegments(template string) (segments []string, whole bool) {
	for _, segment := range strings.Split(template, "/") {
		switch {
		case !strings.ContainsAny(segment, "{}"):
			segments = append(segments, segment)
		case strings.HasPrefix(segment, "{") && strings.HasSuffix(segment, "}") &&
			!strings.ContainsAny(segment[1:len(segment)-1], "{}:"):
			segments = append(segments, variableSegment)
		default:
			return nil, false
		}
	}
	return segments, true
}

// recordRoute stores the matched route's path template for the access log and the metrics: the template,
// never the path, which may carry personal data (/newsletter/{email}).
func recordRoute(template string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		stateOf(r).route = template
		next.ServeHTTP(w, r)
	})
}

// routeTemplate is the template of the route router serves r with, "" when none does (a 404 or 405), for a
// request answered before routing to be logged under its route as a routed one is (recordRoute).
func routeTemplate(router *mux.Router, r *http.Request) string {
	var match mux.RouteMatch
	if !cleanPath(r.URL.Path) || !router.Match(r, &match) || match.MatchErr != nil || match.Route == nil {
		return ""
	}
	template, err := match.Route.GetPathTemplate()
	if err != nil {
		return ""
	}
	return template
}

// allowedMethods lists, sorted, the methods the routes of router serve at the request's path, asking each
// route with mux's own matching (a route that refuses only the method reports ErrMethodMismatch).
func allowedMethods(router *mux.Router, r *http.Request) []string {
	var methods []string
	_ = router.Walk(func(route *mux.Route, _ *mux.Router, _ []*mux.Route) error {
		var match mux.RouteMatch
		if route.Match(r, &match) || match.MatchErr == mux.ErrMethodMismatch {
			served, _ := route.GetMethods()
			methods = append(methods, served...)
		}
		return nil
	})
	slices.Sort(methods)
	return slices.Compact(methods)
}
