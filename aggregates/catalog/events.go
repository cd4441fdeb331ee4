// Package catalog holds the catalog aggregates: the merchant-side entities the Open API only reads
// (accounts, sites, subscription products with their plans, coupons, e-commerce products with their SKUs,
// tax rates, and the customer segments plans, coupons and SKUs may be restricted to). They are written by `pelcro catalog import FILE`, never by the API.
//
// Each entity kind is one aggregate with one stream per entity; plans live inside their product and SKUs
// inside their e-commerce product, because they are always edited with them and a product is small. Every
// kind has the same two decisions: Define creates the entity, Change brings it to a desired state and
// returns one change event carrying only the fields that differ, or nothing when the state already matches
// (the idempotent no-op an import of an unchanged file relies on). A plan's `active: false` is not a field
// but a lifecycle step: it retires the plan (catalog.plan_retired), `active: true` reactivates it.
//
// Value rules (currency codes, intervals, domain patterns, IP ranges, percentages …) live here, in the
// Problems methods, so the file parser and the decide functions apply the very same rules. Rules that span
// entities (references, duplicate ids) are checked by Catalog.Problems.
package catalog

import (
	"encoding/json"
	"strconv"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// Kind names an entity kind in import summaries and in Subject.
type Kind string

// The catalog's entity kinds.
const (
	KindAccount          Kind = "account"
	KindSite             Kind = "site"
	KindProduct          Kind = "product"
	KindPlan             Kind = "plan"
	KindCoupon           Kind = "coupon"
	KindEcommerceProduct Kind = "ecommerce_product"
	KindSKU              Kind = "sku"
	KindTaxRate          Kind = "tax_rate"
	KindSegment          Kind = "segment"
)

// Subject is the entity an event is about, and whether the event created it. Importers count created and
// changed entities from it without a type switch over every event.
type Subject struct {
	Kind    Kind
	ID      string
	Created bool
}

// Event is implemented by every catalog event.
type Event interface {
	Subject() Subject
}

// Events names every catalog event. Warning: the names are a stored format (see aggregates.Registry);
// renaming one orphans the events already written.
var Events = func() *aggregates.Registry {
	r := aggregates.NewRegistry()
	aggregates.MustRegister[AccountDefined](r, "catalog.account_defined", fieldsAdded(1, map[string]json.RawMessage{
		"dunning_retry_days": []byte("[3,5,7]"), "dunning_final_status": []byte(`"canceled"`)}))
	aggregates.MustRegister[AccountChanged](r, "catalog.account_changed")
	aggregates.MustRegister[SiteDefined](r, "catalog.site_defined")
	aggregates.MustRegister[SiteChanged](r, "catalog.site_changed")
	aggregates.MustRegister[ProductDefined](r, "catalog.product_defined", fieldAdded(1, "active", []byte("true")))
	aggregates.MustRegister[ProductChanged](r, "catalog.product_changed")
	aggregates.MustRegister[PlanDefined](r, "catalog.plan_defined", fieldAdded(1, "available_online", []byte("true")))
	aggregates.MustRegister[PlanChanged](r, "catalog.plan_changed")
	aggregates.MustRegister[PlanRetired](r, "catalog.plan_retired")
	aggregates.MustRegister[PlanReactivated](r, "catalog.plan_reactivated")
	aggregates.MustRegister[CouponDefined](r, "catalog.coupon_defined")
	aggregates.MustRegister[CouponChanged](r, "catalog.coupon_changed")
	aggregates.MustRegister[EcommerceProductDefined](r, "catalog.ecommerce_product_defined")
	aggregates.MustRegister[EcommerceProductChanged](r, "catalog.ecommerce_product_changed")
	// Version 2 stores a SKU without inventory (unlimited) as null: a version 1 event always gave one.
	aggregates.MustRegister[SKUDefined](r, "catalog.sku_defined", fieldAdded(1, "inventory", []byte("0")))
	aggregates.MustRegister[SKUChanged](r, "catalog.sku_changed")
	aggregates.MustRegister[TaxRateDefined](r, "catalog.tax_rate_defined")
	aggregates.MustRegister[TaxRateChanged](r, "catalog.tax_rate_changed")
	aggregates.MustRegister[SegmentDefined](r, "catalog.segment_defined")
	aggregates.MustRegister[SegmentChanged](r, "catalog.segment_changed")
	return r
}()

func idString(id int64) string { return strconv.FormatInt(id, 10) }

func created(kind Kind, id int64) Subject {
	return Subject{Kind: kind, ID: idString(id), Created: true}
}
func changed(kind Kind, id int64) Subject { return Subject{Kind: kind, ID: idString(id)} }
