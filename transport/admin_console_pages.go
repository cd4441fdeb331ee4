package transport

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// The console's pages: html/template over files embedded in the binary (no front-end build, no script).
// html/template escapes every value by its context (text, attribute, URL), so customer data, which anyone
// signing up can choose, never becomes markup.

//go:embed console/*.html console/*.css
var consoleFiles embed.FS

// consolePages are the page templates by name, each the layout plus its own "content"; parsed once, so a
// broken template fails the first test, not a request.
var consolePages = mustParseConsole("sign_in", "home", "customers", "customer", "as_of", "error")

func mustParseConsole(names ...string) map[string]*template.Template {
	funcs := template.FuncMap{
		"unix": adminTime,
		"deref": func(v any) any {
			switch p := v.(type) {
			case *int64:
				return *p
			case *string:
				return *p
			}
			return v
		},
	}
	layout := template.Must(template.New("layout").Funcs(funcs).ParseFS(consoleFiles, "console/layout.html", "console/home.html"))
	pages := make(map[string]*template.Template, len(names))
	for _, name := range names {
		page := template.Must(layout.Clone())
		pages[name] = template.Must(page.ParseFS(consoleFiles, "console/"+name+".html"))
	}
	return pages
}

// consoleAssets serves the stylesheet.
func consoleAssets() http.Handler {
	sub, err := fs.Sub(consoleFiles, "console")
	if err != nil {
		panic(fmt.Sprintf("transport: console assets: %v", err)) // the embed pattern above rules it out
	}
	return http.StripPrefix(consoleAssetsPath, http.FileServerFS(sub))
}

// renderConsole answers a page; the page's data must embed consolePage. The page is rendered into a buffer
// first, so a template failing half-way answers 500 instead of half a page.
func renderConsole(w http.ResponseWriter, r *http.Request, log *slog.Logger, status int, page string, data any) {
	var body bytes.Buffer
	if err := consolePages[page].ExecuteTemplate(&body, "layout", data); err != nil {
		log.ErrorContext(r.Context(), "rendering a console page", requestIDs(r), "page", page, "error", err)
		http.Error(w, "The page could not be shown; the log says why.", http.StatusInternalServerError)
		return
	}
	consoleHeaders(w)
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.WriteHeader(status)
	_, _ = body.WriteTo(w)
}

// renderConsoleProblem answers the error page with status, titled title, saying problem (the console is
// in English).
func renderConsoleProblem(w http.ResponseWriter, r *http.Request, log *slog.Logger, status int, title string, problem i18n.MessageID) {
	renderConsole(w, r, log, status, "error", consolePage{Title: title, Key: adminKey(r), Problem: i18n.Localize(i18n.English, problem)})
}

// consoleHeaders keep the console's pages out of caches and frames, and allow no script at all.
func consoleHeaders(w http.ResponseWriter) {
	h := w.Header()
	h.Set("Cache-Control", "no-store")
	h.Set("Content-Security-Policy", "default-src 'none'; style-src 'self'; img-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'")
	h.Set("X-Frame-Options", "DENY")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "same-origin")
}

// adminTime formats Unix seconds for people, in UTC.
func adminTime(secs int64) string {
	return time.Unix(secs, 0).UTC().Format("2006-01-02 15:04:05")
}
