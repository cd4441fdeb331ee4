package transport

import (
	"errors"
	"log/slog"
	"net/http"
	"strings"

	"github.com/pelcro-oss/pelcro-api/internal/apikeys"
)

// Paths of the console (docs/operations.md).
const (
	ConsolePath       = "/admin"
	consoleSignInPath = ConsolePath + "/sign-in"
	consoleAssetsPath = ConsolePath + "/assets/"
	// consoleCookie holds a session token (internal/apikeys), never the key: the key is typed once, and the
	// cookie dies with its session or the key's revocation.
	consoleCookie = "pelcro_console"
)

// requireConsoleSession lets through the requests of a signed-in console and sends the others to the
// sign-in page. The cookie is HttpOnly (no script reads it) and SameSite=Strict: another site's page can
// neither read the console nor make the browser send it, which together with pages that only read is the
// console's defence against cross-site request forgery.
func requireConsoleSession(keys AdminKeys, log *slog.Logger) func(http.Handler) http.Handler {
	return func(next http.Handler) http.Handler {
		return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			cookie, err := r.Cookie(consoleCookie)
			if err != nil {
				http.Redirect(w, r, consoleSignInPath, http.StatusSeeOther)
				return
			}
			k, err := keys.Session(r.Context(), cookie.Value)
			switch {
			case errors.Is(err, apikeys.ErrInvalidKey):
				clearConsoleCookie(w, r)
				http.Redirect(w, r, consoleSignInPath, http.StatusSeeOther)
			case err != nil:
				log.ErrorContext(r.Context(), "reading a console session", requestIDs(r), "error", err)
				http.Error(w, "The console could not check your session; the log says why.", http.StatusInternalServerError)
			default:
				next.ServeHTTP(w, withAdminKey(r, k))
			}
		})
	}
}

// consoleSession serves signing in and out.
type consoleSession struct {
	deps Dependencies
}

func (h consoleSession) form(w http.ResponseWriter, r *http.Request) {
	renderConsole(w, r, h.deps.Logger, http.StatusOK, "sign_in", consolePage{Title: "Sign in"})
}

// signIn checks the key typed into the form and starts a session: 401 and the form again for a bad key.
func (h consoleSession) signIn(w http.ResponseWriter, r *http.Request) {
	key := ""
	if err := r.ParseForm(); err == nil {
		key = strings.TrimSpace(r.PostForm.Get("key"))
	}
	token, expires, err := h.deps.AdminKeys.StartSession(r.Context(), key)
	switch {
	case errors.Is(err, apikeys.ErrInvalidKey):
		renderConsole(w, r, h.deps.Logger, http.StatusUnauthorized, "sign_in",
			consolePage{Title: "Sign in", Problem: "This key is not valid, or it was revoked."})
	case err != nil:
		h.deps.Logger.ErrorContext(r.Context(), "starting a console session", requestIDs(r), "error", err)
		http.Error(w, "The console could not sign you in; the log says why.", http.StatusInternalServerError)
	default:
		http.SetCookie(w, &http.Cookie{Name: consoleCookie, Value: token, Path: ConsolePath, Expires: expires,
			HttpOnly: true, Secure: secureRequest(r, h.deps.PublicURL), SameSite: http.SameSiteStrictMode})
		http.Redirect(w, r, ConsolePath, http.StatusSeeOther)
	}
}

func (h consoleSession) signOut(w http.ResponseWriter, r *http.Request) {
	if cookie, err := r.Cookie(consoleCookie); err == nil {
		if err := h.deps.AdminKeys.EndSession(r.Context(), cookie.Value); err != nil {
			h.deps.Logger.ErrorContext(r.Context(), "ending a console session", requestIDs(r), "error", err)
		}
	}
	clearConsoleCookie(w, r)
	http.Redirect(w, r, consoleSignInPath, http.StatusSeeOther)
}

func clearConsoleCookie(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, &http.Cookie{Name: consoleCookie, Path: ConsolePath, MaxAge: -1, HttpOnly: true,
		Secure: r.TLS != nil, SameSite: http.SameSiteStrictMode})
}

// secureRequest reports whether the browser reached the console over TLS: directly, or through the public
// HTTPS origin configured (a TLS-terminating proxy in front).
func secureRequest(r *http.Request, publicURL string) bool {
	return r.TLS != nil || strings.HasPrefix(publicURL, "https://")
}
