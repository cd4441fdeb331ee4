// Package catalog holds the projections of the catalog events (aggregates/catalog) into the read-model
// tables of migrations 00002_catalog.sql and 00045_catalog_segments.sql, which package queries reads: sites,
// subscription products with their plans and the free-access tables of rules 13 and 14, e-commerce products
// with their SKUs, coupons, and customer segments (rule 12).
//
// Every row carries the revision of its entity's stream it reflects and every write is guarded by it, so
// an event applied twice (a checkpoint reset, a rebuild) changes nothing. Change events carry only the
// fields that changed: their nil fields leave the columns as they are.
package catalog

import "github.com/pelcro-oss/pelcro-api/projections"

// All returns every catalog projection, for the runner of `pelcro serve`.
func All() []projections.Projection {
	return []projections.Projection{Sites(), Plans(), Ecommerce(), Coupons(), Segments()}
}

// Names lists the names of All, e.g. for a WaitFor after a catalog import.
func Names() []string {
	return []string{SitesName, PlansName, EcommerceName, CouponsName, SegmentsName}
}
