package catalog

import (
	"context"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// SitesName is the sites projection's name and checkpoint key. Warning: changing it replays the whole log
// into catalog_sites (see projections.Projection.Name).
const SitesName = "catalog_sites.v1"

// Sites keeps catalog_sites: one row per site with every field of the Site resource (spec 3.2) the catalog
// defines, its account and the language of its default locale. An unset identity-provider id is stored as
// ” (a change event can only set a column, never null it: see patchRow), or NULL in rows projected
// before migration 00004 added the columns; queries read both as unset.
func Sites() projections.Projection {
	return projections.Projection{
		Name:   SitesName,
		Tables: []string{"catalog_sites"},
		Handlers: []projections.Handler{
			projections.On(applySiteDefined),
			projections.On(applySiteChanged),
		},
	}
}

func applySiteDefined(ctx context.Context, tx *sqlx.Tx, e projections.Event[catalog.SiteDefined]) error {
	a := e.Data.SiteAttributes
	return upsertRow(ctx, tx, "catalog_sites", e.Data.SiteID, e.Revision, append(attributeColumns(a),
		column{"account_id", e.Data.AccountID}, column{"default_language", languageOf(a.DefaultLocale)}))
}

func applySiteChanged(ctx context.Context, tx *sqlx.Tx, e projections.Event[catalog.SiteChanged]) error {
	p := e.Data.Changes
	var language *string
	if p.DefaultLocale != nil {
		l := languageOf(*p.DefaultLocale)
		language = &l
	}
	return patchRow(ctx, tx, "catalog_sites", e.Data.SiteID, e.Revision,
		append(patchColumns(p), column{"default_language", language}))
}

// languageOf is the ISO 639-1 part of a locale: "fr_CA" → "fr", "en" → "en".
func languageOf(locale string) string {
	language, _, _ := strings.Cut(locale, "_")
	return strings.ToLower(language)
}
