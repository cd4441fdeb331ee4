package media

import (
	"net/http"
	"os"
	"path/filepath"
	"strings"
)

// PhotoPath is the URL path under which the API serves profile photos (PhotoPath + name). Warning: photo
// URLs given to clients contain it.
const PhotoPath = "/media/" + photoDir + "/"

// URL is the address of a stored photo for clients; base is the API's public origin, e.g.
// "https://api.example.com" (no trailing slash). An empty name has no URL.
func (p Photos) URL(base, name string) string {
	if name == "" {
		return ""
	}
	return strings.TrimSuffix(base, "/") + PhotoPath + name
}

// Handler serves stored photos at PhotoPath + name: never a directory listing, never a file outside the
// photo directory. Names are random and a photo never changes under its name, so clients may cache it for
// good.
func (p Photos) Handler() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		name, ok := strings.CutPrefix(r.URL.Path, PhotoPath)
		if !ok || !plainName(name) {
			http.NotFound(w, r)
			return
		}
		file, err := os.Open(filepath.Join(p.Dir, photoDir, name))
		if err != nil {
			http.NotFound(w, r)
			return
		}
		defer file.Close()
		info, err := file.Stat()
		if err != nil || !info.Mode().IsRegular() {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Cache-Control", "public, max-age=31536000, immutable")
		w.Header().Set("X-Content-Type-Options", "nosniff")
		http.ServeContent(w, r, name, info.ModTime(), file)
	})
}
