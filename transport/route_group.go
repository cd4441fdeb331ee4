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
// variables, or starts with the literal text before a template's first variable. It never refuses a path
// the template's expression accepts, so mux's answer is unchanged; it only spares the expression of the
// routes a path cannot match.
//
// Warning: it assumes mux matches the decoded path (req.URL.Path), its default. A router switched to
// UseEncodedPath would need the guard to read the escaped path too.
func pathGuard(template string) mux.MatcherFunc {
	literal, variable := template, false
	if i := strings.IndexByte(template, '{'); i >= 0 {
		literal, variable = template[:i], true
	}
	if variable {
		return func(r *http.Request, _ *mux.RouteMatch) bool { return strings.HasPrefix(r.URL.Path, literal) }
	}
	return func(r *http.Request, _ *mux.RouteMatch) bool { return r.URL.Path == literal }
}

// recordRoute stores the matched route's path template for the access log and the metrics: the template,
// never the path, which may carry personal data (/newsletter/{email}).
func recordRoute(template string, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		stateOf(r).route = template
		next.ServeHTTP(w, r)
	})
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
