// Package transport is the HTTP face of the API (gorilla/mux). The whole route table lives in this file so a
// reader sees every endpoint in one place; handlers live in one file per resource family.
package transport

import (
	"net/http"

	"github.com/gorilla/mux"
)

// Dependencies are what the handlers need from the rest of the system, wired by cmd/pelcro.
type Dependencies struct {
	// Readiness lists the checks /readyz runs; the service is ready when all pass.
	Readiness []ReadinessCheck
}

// NewRouter returns the handler serving every route.
func NewRouter(deps Dependencies) http.Handler {
	r := mux.NewRouter()
	r.Handle("/healthz", healthz()).Methods(http.MethodGet, http.MethodHead)
	r.Handle("/readyz", readyz(deps.Readiness)).Methods(http.MethodGet, http.MethodHead)
	return r
}
