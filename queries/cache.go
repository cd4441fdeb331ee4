package queries

import (
	"context"
	"errors"
	"net/netip"
	"sync"
	"time"
)

// CachedCatalog answers the catalog reads from memory for as long as the catalog read models have not
// changed, so a hot public endpoint (plan, domain and IP authorization, site lookups on every request) costs
// no database round trip. version must change whenever a catalog projection reached an event it handles
// (projections.Runner.DataVersion over the catalog projections): every cached answer is dropped then, so the
// API never serves an answer older than the last catalog change this process saw applied. maxAnswerAge
// bounds what version cannot see, e.g. a change applied by another process while this one's projections
// are stopped, or tables swapped in by a rebuild run from another process (a rebuild recomputes the same
// answers, so they only differ if the log changed meanwhile).
//
// The e-commerce products also show each SKU's stock left (SKU.Available), which moves with every order:
// they are kept in a cache of their own (shopCache), where an order drops only the shop showing its SKUs.
//
// Answers are shared between callers: they must not be modified.
type CachedCatalog struct {
	catalog *Catalog
	cache   answerCache
	// shops keeps the answers that read the stock read model too (the e-commerce products), per site.
	shops shopCache
}

// answerCache keeps answers while version stays where it was when they were loaded (see CachedCatalog).
type answerCache struct {
	version func() uint64

	mu      sync.Mutex
	at      uint64
	answers map[cacheKey]cachedAnswer
}

// Bounds of the cache: distinct questions (emails vary freely) and the age of one answer.
const (
	maxCachedAnswers = 10_000
	maxAnswerAge     = 30 * time.Second
)

type cacheKey struct {
	query string
	site  int64
	id    int64
	text  string
}

type cachedAnswer struct {
	value    any
	err      error
	loadedAt time.Time
}

// NewCachedCatalog caches catalog's answers, keyed on version (see CachedCatalog), and those that show the
// stock left on version and stock (see StockVersions). version may never decrease.
func NewCachedCatalog(catalog *Catalog, version func() uint64, stock StockVersions) *CachedCatalog {
	return &CachedCatalog{catalog: catalog, cache: newAnswerCache(version),
		shops: shopCache{version: version, stock: stock, answers: map[int64]*shopAnswer{}}}
}

func newAnswerCache(version func() uint64) answerCache {
	return answerCache{version: version, answers: map[cacheKey]cachedAnswer{}}
}

// Site is Catalog.Site, cached.
func (c *CachedCatalog) Site(ctx context.Context, id int64) (Site, error) {
	return cached(&c.cache, cacheKey{query: "site", id: id}, func() (Site, error) { return c.catalog.Site(ctx, id) })
}

// SiteCatalog is Catalog.SiteCatalog, cached: the same pointer until the catalog changes, so a caller may
// key what it derives from the answer (an encoded body) on the pointer.
func (c *CachedCatalog) SiteCatalog(ctx context.Context, id int64) (*SiteCatalog, error) {
	return cached(&c.cache, cacheKey{query: "site catalog", id: id}, func() (*SiteCatalog, error) {
		return c.catalog.SiteCatalog(ctx, id)
	})
}

// Plan is Catalog.Plan, cached.
func (c *CachedCatalog) Plan(ctx context.Context, siteID, planID int64) (Plan, error) {
	return cached(&c.cache, cacheKey{query: "plan", site: siteID, id: planID}, func() (Plan, error) {
		return c.catalog.Plan(ctx, siteID, planID)
	})
}

// PlansByEmailDomain is Catalog.PlansByEmailDomain, cached per exact email.
func (c *CachedCatalog) PlansByEmailDomain(ctx context.Context, siteID int64, email string) ([]Plan, error) {
	return cached(&c.cache, cacheKey{query: "email", site: siteID, text: email}, func() ([]Plan, error) {
		return c.catalog.PlansByEmailDomain(ctx, siteID, email)
	})
}

// PlansByIP is Catalog.PlansByIP, cached per address.
func (c *CachedCatalog) PlansByIP(ctx context.Context, siteID int64, ip netip.Addr) ([]Plan, error) {
	return cached(&c.cache, cacheKey{query: "ip", site: siteID, text: ip.String()}, func() ([]Plan, error) {
		return c.catalog.PlansByIP(ctx, siteID, ip)
	})
}

// TaxRates is Catalog.TaxRates, cached per country and state.
func (c *CachedCatalog) TaxRates(ctx context.Context, siteID int64, country, state string) (TaxSettings, error) {
	// NUL cannot occur in either text (the read models refuse it), so no two pairs share a key.
	return cached(&c.cache, cacheKey{query: "taxes", site: siteID, text: country + "\x00" + state}, func() (TaxSettings, error) {
		return c.catalog.TaxRates(ctx, siteID, country, state)
	})
}

// cached returns the answer to key from memory when it was loaded under the current version and is young
// enough, else loads it. Only answers and the queries' own refusals are kept, never a failure.
func cached[T any](c *answerCache, key cacheKey, load func() (T, error)) (T, error) {
	version := c.version()
	c.mu.Lock()
	if version > c.at { // versions only grow: a caller that read an older one must not empty a newer cache
		c.at, c.answers = version, map[cacheKey]cachedAnswer{}
	}
	answer, ok := c.answers[key]
	ok = ok && c.at == version
	c.mu.Unlock()
	if ok && time.Since(answer.loadedAt) < maxAnswerAge {
		return answer.value.(T), answer.err
	}
	value, err := load()
	if err != nil && !errors.Is(err, ErrNotFound) && !errors.Is(err, ErrInvalidEmail) && !errors.Is(err, ErrInvalidIP) {
		return value, err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	// A change that landed during the load may or may not be in value: keep it only if none did.
	if c.at == version && c.version() == version {
		if len(c.answers) >= maxCachedAnswers {
			c.answers = map[cacheKey]cachedAnswer{}
		}
		c.answers[key] = cachedAnswer{value: value, err: err, loadedAt: time.Now()}
	}
	return value, err
}
