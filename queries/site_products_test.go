package queries_test

import (
	"context"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/internal/catalogtest"
	"github.com/pelcro-oss/pelcro-api/queries"
)

func TestSiteCatalogListsEveryProductWithItsPublicPlans(t *testing.T) {
	t.Parallel()
	// Given the fixture catalog plus a second product on the news site whose only plan is for students
	env := catalogtest.New(t)
	c := catalogtest.Catalog()
	students := c.Products[0].Plans[1] // the paid plan, restricted to the students segment
	students.ID = 109
	c.Products = append(c.Products, catalog.Product{ID: 11, SiteID: catalogtest.SiteID,
		ProductAttributes: catalog.ProductAttributes{Name: "Students only", Active: true}, Plans: []catalog.Plan{students}})
	env.WaitFor(env.Start(), env.Import(c))
	q := queries.NewCatalog(env.DB)
	cases := []struct {
		name string
		site int64
		want map[int64][]int64 // product → plan ids
		err  error
	}{
		{"news site", catalogtest.SiteID, map[int64][]int64{catalogtest.ProductID: {catalogtest.FreePlanID,
			catalogtest.WildcardPlanID}, 11: {}}, nil},
		{"other site", catalogtest.OtherSiteID, map[int64][]int64{20: {catalogtest.OtherSitePlanID}}, nil},
		{"unknown site", 999, nil, queries.ErrNotFound},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// When the site is read with its products
			site, err := q.SiteCatalog(context.Background(), tc.site)

			// Then each product of the site holds its plans on sale to everybody ([] when none)
			var got map[int64][]int64
			if site != nil {
				got = map[int64][]int64{}
				for _, p := range site.Products {
					got[p.ID] = planIDs(p.Plans)
					for _, plan := range p.Plans {
						check(t, "embedded product", plan.Product.ID, nil, p.ID, nil)
					}
				}
			}
			check(t, "products", got, err, tc.want, tc.err)
		})
	}
}
