package benchenv

import (
	"context"
	"fmt"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/commands"
	catalogprojections "github.com/pelcro-oss/pelcro-api/projections/catalog"
)

// CatalogShape sizes a generated catalog: Sites sites with one product of PlansPerSite plans each.
type CatalogShape struct {
	Sites, PlansPerSite int
}

// FirstSiteID is the id of the first generated site; site i (from 0) is FirstSiteID + i.
const FirstSiteID int64 = 1000

// SiteID is the id of the generated site number i (from 0).
func SiteID(i int) int64 { return FirstSiteID + int64(i) }

// Domain is the institution domain of plan j of site i: every even plan is free (amount 0) and lists it
// both plainly and as a wildcard, so "reader@<Domain(i, j)>" and "reader@dept.<Domain(i, j)>" match one
// free plan when j is even, and none when j is odd (a paid plan).
func Domain(i, j int) string { return fmt.Sprintf("campus%d-%d.edu", j, i) }

// Catalog builds a catalog of the given shape, shaped like a publisher's real one: site settings, a
// product per site, plans with nicknames, countries, domains and IP ranges, half of them free.
func (s CatalogShape) Catalog() catalog.Catalog {
	c := catalog.Catalog{Accounts: []catalog.Account{{ID: 1, AccountAttributes: catalog.AccountAttributes{Name: "Bench Media"}}}}
	for i := range s.Sites {
		c.Sites = append(c.Sites, catalog.Site{ID: SiteID(i), AccountID: 1, SiteAttributes: catalog.SiteAttributes{
			Name: fmt.Sprintf("Bench Publication %d", i), Slug: fmt.Sprintf("bench-%d", i),
			Link: fmt.Sprintf("https://news%d.example.com", i), DefaultCurrency: "usd", DefaultLocale: "en_US",
			PasswordlessEnabled: true, PasswordlessTokenDuration: 30, AuthTokenTTLDays: 60}})
		product := catalog.Product{ID: SiteID(i), SiteID: SiteID(i), ProductAttributes: catalog.ProductAttributes{
			Name: "Digital Access", Countries: []string{"US", "CA"}, Active: true}}
		for j := range s.PlansPerSite {
			product.Plans = append(product.Plans, plan(i, j, s.PlansPerSite))
		}
		c.Products = append(c.Products, product)
	}
	return c
}

// PlanID is the id of plan j of site i in a catalog of perSite plans per site.
func PlanID(i, j, perSite int) int64 { return int64(i*perSite + j + 1) }

// plan is plan j of site i: free with its domains when j is even, paid otherwise.
func plan(i, j, perSite int) catalog.Plan {
	amount := int64(0)
	if j%2 == 1 {
		amount = 1200
	}
	return catalog.Plan{ID: PlanID(i, j, perSite), PlanAttributes: catalog.PlanAttributes{
		Nickname: fmt.Sprintf("Campus plan %d", j), Description: "Institutional access for students and staff",
		Amount: amount, Currency: "usd", Interval: "year", IntervalCount: 1, AutoRenew: true,
		Countries: []string{"US", "CA"}, Entitlements: []string{"articles", "archive"},
		Domains:     []string{Domain(i, j), "*." + Domain(i, j)},
		IPAddresses: []string{fmt.Sprintf("10.%d.%d.0/24", i, j)}}}
}

// ImportAndProject writes c through commands.ImportCatalog, the way `pelcro import` does, and builds the
// catalog read models from the log with a rebuild of each catalog projection.
func (d *Database) ImportAndProject(ctx context.Context, c catalog.Catalog) error {
	if _, err := commands.ImportCatalog(ctx, d.Store, c, time.Now()); err != nil {
		return err
	}
	for _, p := range catalogprojections.All() {
		if _, err := d.Rebuild(ctx, p); err != nil {
			return err
		}
	}
	return nil
}
