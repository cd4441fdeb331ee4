package transport

import (
	"net/http"

	"github.com/gorilla/mux"
)

// authRoutes mounts the authentication endpoints (spec #1–#9): public ones on site, token-protected ones on
// protected.
func (h customerHandlers) authRoutes(site, protected *mux.Router) {
	site.HandleFunc("/auth/register", h.register).Methods(http.MethodPost)
	site.HandleFunc("/auth/login", h.login).Methods(http.MethodPost)
	site.HandleFunc("/auth/idp/login", h.identityLogin).Methods(http.MethodPost)
	site.HandleFunc("/auth/passwordless/request", h.passwordlessRequest).Methods(http.MethodPost)
	site.HandleFunc("/auth/passwordless/login", h.passwordlessLogin).Methods(http.MethodPost)
	site.HandleFunc("/password/forgot", h.forgotPassword).Methods(http.MethodPost)
	site.HandleFunc("/password/reset", h.resetPassword).Methods(http.MethodPost)
	protected.HandleFunc("/auth/logout", h.logout).Methods(http.MethodPost)
	protected.HandleFunc("/password/update", h.updatePassword).Methods(http.MethodPost)
}
