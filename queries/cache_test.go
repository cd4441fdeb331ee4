package queries_test

import (
	"context"
	"errors"
	"sync/atomic"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/catalogtest"
	"github.com/pelcro-oss/pelcro-api/queries"
)

func TestCachedCatalogServesFromMemoryUntilTheVersionMoves(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// given the projected fixture catalog behind a cache whose version the test controls
	env := catalogtest.New(t)
	env.WaitFor(env.Start(), env.Import(catalogtest.Catalog()))
	var version atomic.Uint64
	q := queries.NewCachedCatalog(queries.NewCatalog(env.DB), version.Load, func([]int64) (uint64, uint64) { return 0, 0 })
	site, err := q.Site(ctx, catalogtest.SiteID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := q.Plan(ctx, catalogtest.SiteID, 999); !errors.Is(err, queries.ErrNotFound) {
		t.Fatalf("unknown plan: %v", err)
	}

	// when the read model changes behind the cache's back (the version does not move)
	if _, err := env.DB.Exec(`UPDATE catalog_sites SET name = 'Renamed' WHERE id = $1`, catalogtest.SiteID); err != nil {
		t.Fatal(err)
	}
	// then the cached answers are served, refusals included
	if got, err := q.Site(ctx, catalogtest.SiteID); err != nil || got.Name != site.Name {
		t.Fatalf("cached site = %q, %v; want %q from memory", got.Name, err, site.Name)
	}
	if _, err := q.Plan(ctx, catalogtest.SiteID, 999); !errors.Is(err, queries.ErrNotFound) {
		t.Fatalf("cached refusal: %v", err)
	}

	// when the version moves (a catalog projection applied an event), then the next answer is read again
	version.Add(1)
	if got, err := q.Site(ctx, catalogtest.SiteID); err != nil || got.Name != "Renamed" {
		t.Fatalf("site after the change = %q, %v; want Renamed", got.Name, err)
	}
}

func TestCachedCatalogIgnoresCallersThatReadAnOlderVersion(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	// given an answer cached at version 1
	env := catalogtest.New(t)
	env.WaitFor(env.Start(), env.Import(catalogtest.Catalog()))
	var version atomic.Uint64
	version.Store(1)
	q := queries.NewCachedCatalog(queries.NewCatalog(env.DB), version.Load, func([]int64) (uint64, uint64) { return 0, 0 })
	site, err := q.Site(ctx, catalogtest.SiteID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := env.DB.Exec(`UPDATE catalog_sites SET name = 'Renamed' WHERE id = $1`, catalogtest.SiteID); err != nil {
		t.Fatal(err)
	}
	// when a late caller still holding version 0 asks, then it reads the database itself
	version.Store(0)
	if got, err := q.Site(ctx, catalogtest.SiteID); err != nil || got.Name != "Renamed" {
		t.Fatalf("late caller got %q, %v; want the database's Renamed", got.Name, err)
	}
	// and the answers cached at version 1 are still there for everyone else
	version.Store(1)
	if got, err := q.Site(ctx, catalogtest.SiteID); err != nil || got.Name != site.Name {
		t.Fatalf("version-1 caller got %q, %v; want the cached %q", got.Name, err, site.Name)
	}
}
