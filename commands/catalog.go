package commands

import (
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
)

// The catalog aggregates. Every catalog stream starts with "catalog_", so a projection can subscribe to
// the catalog alone (eventstore.Filter{StreamPrefixes: []string{"catalog_"}}). Warning: the prefixes are
// stored stream names; changing one orphans every stream written under it.
var (
	AccountAggregate = Aggregate[catalog.AccountState, catalog.AccountEvent]{
		Registry: catalog.Events, Evolve: catalog.EvolveAccount, StreamPrefix: "catalog_account-"}
	SiteAggregate = Aggregate[catalog.SiteState, catalog.SiteEvent]{
		Registry: catalog.Events, Evolve: catalog.EvolveSite, StreamPrefix: "catalog_site-"}
	ProductAggregate = Aggregate[catalog.ProductState, catalog.ProductEvent]{
		Registry: catalog.Events, Evolve: catalog.EvolveProduct, StreamPrefix: "catalog_product-"}
	CouponAggregate = Aggregate[catalog.CouponState, catalog.CouponEvent]{
		Registry: catalog.Events, Evolve: catalog.EvolveCoupon, StreamPrefix: "catalog_coupon-"}
	EcommerceProductAggregate = Aggregate[catalog.EcommerceProductState, catalog.EcommerceProductEvent]{
		Registry: catalog.Events, Evolve: catalog.EvolveEcommerceProduct, StreamPrefix: "catalog_ecommerce_product-"}
	TaxRateAggregate = Aggregate[catalog.TaxRateState, catalog.TaxRateEvent]{
		Registry: catalog.Events, Evolve: catalog.EvolveTaxRate, StreamPrefix: "catalog_tax_rate-"}
	SegmentAggregate = Aggregate[catalog.SegmentState, catalog.SegmentEvent]{
		Registry: catalog.Events, Evolve: catalog.EvolveSegment, StreamPrefix: "catalog_segment-"}
)

// catalogEntities lists the catalog's entities in dependency order (accounts, sites, then what sites own),
// so the events of one import reach the projections owners first.
func catalogEntities(c catalog.Catalog) []catalogEntity {
	var entities []catalogEntity
	for _, a := range c.Accounts {
		entities = append(entities, entityImport[catalog.AccountState, catalog.AccountEvent, catalog.Account]{
			aggregate: AccountAggregate, kind: catalog.KindAccount, id: itoa(a.ID), desired: a,
			exists: func(s catalog.AccountState) bool { return s.Defined },
			define: catalog.DefineAccount, change: catalog.ChangeAccount})
	}
	for _, s := range c.Sites {
		entities = append(entities, entityImport[catalog.SiteState, catalog.SiteEvent, catalog.Site]{
			aggregate: SiteAggregate, kind: catalog.KindSite, id: itoa(s.ID), siteID: s.ID, desired: s,
			exists: func(s catalog.SiteState) bool { return s.Defined },
			define: catalog.DefineSite, change: catalog.ChangeSite})
	}
	for _, p := range c.Products {
		entities = append(entities, entityImport[catalog.ProductState, catalog.ProductEvent, catalog.Product]{
			aggregate: ProductAggregate, kind: catalog.KindProduct, id: itoa(p.ID), siteID: p.SiteID, desired: p,
			exists: func(s catalog.ProductState) bool { return s.Defined },
			define: catalog.DefineProduct, change: catalog.ChangeProduct})
	}
	for _, cp := range c.Coupons {
		entities = append(entities, entityImport[catalog.CouponState, catalog.CouponEvent, catalog.Coupon]{
			aggregate: CouponAggregate, kind: catalog.KindCoupon, id: itoa(cp.ID), siteID: cp.SiteID, desired: cp,
			exists: func(s catalog.CouponState) bool { return s.Defined },
			define: catalog.DefineCoupon, change: catalog.ChangeCoupon})
	}
	for _, p := range c.EcommerceProducts {
		entities = append(entities, entityImport[catalog.EcommerceProductState, catalog.EcommerceProductEvent, catalog.EcommerceProduct]{
			aggregate: EcommerceProductAggregate, kind: catalog.KindEcommerceProduct, id: itoa(p.ID), siteID: p.SiteID,
			desired: p, exists: func(s catalog.EcommerceProductState) bool { return s.Defined },
			define: catalog.DefineEcommerceProduct, change: catalog.ChangeEcommerceProduct})
	}
	for _, t := range c.TaxRates {
		entities = append(entities, entityImport[catalog.TaxRateState, catalog.TaxRateEvent, catalog.TaxRate]{
			aggregate: TaxRateAggregate, kind: catalog.KindTaxRate, id: t.Key(), siteID: t.SiteID, desired: t,
			exists: func(s catalog.TaxRateState) bool { return s.Defined },
			define: catalog.DefineTaxRate, change: catalog.ChangeTaxRate})
	}
	for _, s := range c.Segments {
		entities = append(entities, entityImport[catalog.SegmentState, catalog.SegmentEvent, catalog.Segment]{
			aggregate: SegmentAggregate, kind: catalog.KindSegment, id: itoa(s.ID), siteID: s.SiteID, desired: s,
			exists: func(s catalog.SegmentState) bool { return s.Defined },
			define: catalog.DefineSegment, change: catalog.ChangeSegment})
	}
	return entities
}

// decideFunc is the shape of every catalog decision: state, desired state, business time.
type decideFunc[S, E, C any] func(S, C, time.Time) ([]E, error)
