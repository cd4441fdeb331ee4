package transport

import (
	"context"
	"errors"

	"github.com/pelcro-oss/pelcro-api/queries"
)

// CatalogSites answers site lookups (SiteDirectory) from the catalog read model, so a site imported into the
// catalog is served as soon as its projection applied it.
func CatalogSites(catalog CatalogQueries) SiteDirectory { return catalogSites{catalog} }

type catalogSites struct{ catalog CatalogQueries }

func (d catalogSites) Site(ctx context.Context, id int64) (SiteInfo, bool, error) {
	site, err := d.catalog.Site(ctx, id)
	if errors.Is(err, queries.ErrNotFound) {
		return SiteInfo{}, false, nil
	}
	if err != nil {
		return SiteInfo{}, false, err
	}
	return SiteInfo{ID: site.ID, AccountID: site.AccountID, DefaultLocale: site.DefaultLocale}, true, nil
}
