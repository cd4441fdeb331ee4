package transport

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"

	"golang.org/x/sync/errgroup"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/internal/catalogtest"
	"github.com/pelcro-oss/pelcro-api/projections"
	catalogprojections "github.com/pelcro-oss/pelcro-api/projections/catalog"
)

func TestRebuildWhileServingKeepsAnsweringIdentically(t *testing.T) {
	t.Parallel()
	// given the API serving the projected catalog, and the answers it gives now
	router, env := catalogStack(t)
	targets := []string{
		fmt.Sprintf("/site?site_id=%d", catalogtest.SiteID),
		fmt.Sprintf("/plan?site_id=%d&plan_id=%d", catalogtest.SiteID, catalogtest.FreePlanID),
		fmt.Sprintf("/plan/domain/authorization?site_id=%d&email=ada@cs.example.edu", catalogtest.SiteID),
		fmt.Sprintf("/ecommerce/products/site/%d", catalogtest.OtherSiteID),
	}
	before := make(map[string]string, len(targets))
	for _, target := range targets {
		rec := serve(router, request(http.MethodGet, APIBasePath+target, "", ""))
		if rec.Code != http.StatusOK {
			t.Fatalf("%s = %d before the rebuild", target, rec.Code)
		}
		before[target] = rec.Body.String()
	}

	// when every catalog projection is rebuilt while requests keep coming
	var rebuilding atomic.Bool
	rebuilding.Store(true)
	var group errgroup.Group
	group.Go(func() error {
		defer rebuilding.Store(false)
		cfg := projections.Config{Store: env.Store, DB: env.DB, Registry: catalog.Events, Logger: discardLogger()}
		for _, p := range catalogprojections.All() {
			if _, err := projections.Rebuild(context.Background(), cfg, p); err != nil {
				return fmt.Errorf("rebuild %s: %w", p.Name, err)
			}
		}
		return nil
	})
	served := 0
	group.Go(func() error {
		for rebuilding.Load() || served == 0 {
			for _, target := range targets {
				rec := serve(router, request(http.MethodGet, APIBasePath+target, "", ""))
				if rec.Code != http.StatusOK || rec.Body.String() != before[target] {
					return fmt.Errorf("%s during the rebuild = %d %s, want the same answer as before", target, rec.Code, rec.Body)
				}
				served++
			}
		}
		return nil
	})

	// then every answer during and after it is the one given before
	if err := group.Wait(); err != nil {
		t.Fatal(err)
	}
	for _, target := range targets {
		if got := serve(router, request(http.MethodGet, APIBasePath+target, "", "")).Body.String(); got != before[target] {
			t.Fatalf("%s after the rebuild = %s, want %s", target, got, before[target])
		}
	}
	t.Logf("%d requests answered during the rebuild", served)
}
