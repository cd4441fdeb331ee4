package transport

import (
	"encoding/json"
	"sync"

	"github.com/pelcro-oss/pelcro-api/queries"
)

// planListBodies serves every router of the process: keyed on answer identity, it cannot mix routers up.
var planListBodies encodedPlanLists

// maxEncodedPlanLists bounds encodedPlanLists; past it the memo starts over.
const maxEncodedPlanLists = 10_000

// encodedPlanLists memoises the `{"data":[Plan…]}` body and ETag of the plan lists the catalog answers
// authorization checks with, so a hot check is not encoded and hashed again on every request.
//
// It is keyed on the identity of the answer (its backing array and length), never on the question: a
// caching CatalogQueries (queries.CachedCatalog) hands out the same immutable slice until the catalog
// changes and a new slice after, so a catalog change can never be answered with an old body. The memo
// holds the slices it keys on, so no other answer can reuse their memory while an entry exists. A
// CatalogQueries that mutated a slice it had returned would break this; the queries' contract forbids it.
type encodedPlanLists struct {
	mu      sync.Mutex
	entries map[planListKey]encodedBody
}

type planListKey struct {
	first *queries.Plan
	n     int
}

// body returns the encoded success envelope of plans (non-empty) and its strong ETag.
func (m *encodedPlanLists) body(plans []queries.Plan) (encodedBody, error) {
	key := planListKey{&plans[0], len(plans)}
	m.mu.Lock()
	known, ok := m.entries[key]
	m.mu.Unlock()
	if ok {
		return known, nil
	}
	encoded, err := json.Marshal(dataBody{Data: plans})
	if err != nil {
		return encodedBody{}, err
	}
	e := newEncodedBody(encoded)
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.entries == nil || len(m.entries) >= maxEncodedPlanLists {
		m.entries = map[planListKey]encodedBody{}
	}
	m.entries[key] = e
	return e, nil
}
