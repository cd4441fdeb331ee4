package transport

import (
	"net/http"
	"path"
	"strconv"

	"github.com/gorilla/mux"
)

// dispatch serves requests through router's route table. A request with a clean path that matches a route
// goes straight to that route's handler, as it came, with the path variables in the request state
// (pathVar); mux.Router.ServeHTTP would first copy the request twice to put the variables and the route in
// its context. Everything else (an unclean path mux redirects, a 404, a 405) is left to router.ServeHTTP,
// which matches again and answers exactly as mux does.
//
// Warning: handlers read path variables with pathVar, never mux.Vars, which is empty on the direct path.
func dispatch(router *mux.Router) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var match mux.RouteMatch
		if cleanPath(r.URL.Path) && router.Match(r, &match) && match.MatchErr == nil {
			stateOf(r).vars = match.Vars
			match.Handler.ServeHTTP(w, r)
			return
		}
		router.ServeHTTP(w, r)
	})
}

// cleanPath reports whether p is absolute and already in the form path.Clean gives, the paths mux serves
// without redirecting. path.Clean does not allocate for such a path.
func cleanPath(p string) bool {
	return p != "" && p[0] == '/' && path.Clean(p) == p
}

// pathVar is the value of the route template's variable name ({email}, {site_id}) in the request's path,
// or "" and false when the matched route has none.
func pathVar(r *http.Request, name string) (string, bool) {
	value, ok := stateOf(r).vars[name]
	return value, ok
}

// pathText is pathVar's value alone, for routes whose template has the variable.
func pathText(r *http.Request, name string) string {
	value, _ := pathVar(r, name)
	return value
}

// pathID reads the id a path names ({invoice_id}, {payment_method_id} …), reporting false when it names
// none: only an id's canonical decimal form names it, 1 or more, without sign or leading zero, so
// /invoices/01101 and /payment_methods/+272 are unknown (404), as any other text is, and one resource has
// one URL. Every path id is read here; a second parser would let the forms drift apart again.
func pathID(r *http.Request, name string) (int64, bool) {
	text := pathText(r, name)
	if text == "" || text[0] < '1' || text[0] > '9' {
		return 0, false
	}
	id, err := strconv.ParseInt(text, 10, 64)
	return id, err == nil
}
