package transport

import (
	"encoding/json"
	"sync"

	"github.com/pelcro-oss/pelcro-api/queries"
)

// siteBodies serves every router of the process: keyed on answer identity, it cannot mix routers up.
var siteBodies encodedSites

// maxEncodedSites bounds encodedSites (one entry per site asked for); past it the memo starts over.
const maxEncodedSites = 10_000

// encodedSites memoises the `{"data":Site}` body and ETag of GET /site, the site with every product and
// plan, so a hot site answer is not encoded and hashed again on every request.
//
// Each site keeps the body of the last answer it was built from, used only for that very answer (the same
// pointer): a caching CatalogQueries (queries.CachedCatalog) hands out the same immutable answer until the
// catalog changes and a new one after, so a catalog change can never be answered with an old body, and an
// answer replaces its site's older body instead of piling up beside it. The memo holds the answers it
// compares with, so no other answer can reuse their memory while an entry exists. A CatalogQueries that
// mutated an answer it had returned would break this; the queries' contract forbids it.
type encodedSites struct {
	mu      sync.Mutex
	entries map[int64]encodedSite
}

type encodedSite struct {
	answer *queries.SiteCatalog
	body   encodedBody
}

// body returns the encoded success envelope of site and its strong ETag.
func (m *encodedSites) body(site *queries.SiteCatalog) (encodedBody, error) {
	m.mu.Lock()
	known, ok := m.entries[site.ID]
	m.mu.Unlock()
	if ok && known.answer == site {
		return known.body, nil
	}
	encoded, err := json.Marshal(dataBody{Data: site})
	if err != nil {
		return encodedBody{}, err
	}
	e := newEncodedBody(encoded)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.entries == nil || len(m.entries) >= maxEncodedSites {
		m.entries = map[int64]encodedSite{}
	}
	m.entries[site.ID] = encodedSite{answer: site, body: e}
	return e, nil
}
