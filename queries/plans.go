package queries

import (
	"context"
	"fmt"
)

// Product is a subscription product (spec 3.4) as a plan embeds it.
type Product struct {
	ID                  int64   `db:"id" json:"id"`
	SiteID              int64   `db:"site_id" json:"-"`
	Name                string  `db:"name" json:"name"`
	NameInternal        string  `db:"name_internal" json:"name_internal"`
	Description         string  `db:"description" json:"description"`
	AddressRequired     bool    `db:"address_required" json:"address_required"`
	Countries           Strings `db:"countries" json:"countries"`
	IsHidden            bool    `db:"is_hidden" json:"is_hidden"`
	Shippable           bool    `db:"shippable" json:"shippable"`
	Image               string  `db:"image" json:"image"`
	UnitLabel           string  `db:"unit_label" json:"unit_label"`
	StatementDescriptor string  `db:"statement_descriptor" json:"statement_descriptor"`
	Language            string  `db:"language" json:"language"`
	Active              bool    `db:"active" json:"active"`
	IsImported          bool    `db:"is_imported" json:"is_imported"`
	OldProviderID       *string `db:"old_provider_id" json:"old_provider_id"`   // nil when none
	ImportUniqueID      *string `db:"import_unique_id" json:"import_unique_id"` // nil when none
	PackageDimensions   JSON    `db:"package_dimensions" json:"package_dimensions"`
}

// Plan is the full plan (spec 3.3, endpoint 21): its fields, the address requirement it inherits from its
// product, and the product.
type Plan struct {
	ID                 int64   `db:"id" json:"id"`
	ProductID          int64   `db:"product_id" json:"product_id"`
	SiteID             int64   `db:"site_id" json:"-"`
	Active             bool    `db:"active" json:"active"`
	Nickname           string  `db:"nickname" json:"nickname"`
	NameInternal       string  `db:"name_internal" json:"name_internal"`
	Description        string  `db:"description" json:"description"`
	Type               string  `db:"type" json:"type"`
	Amount             int64   `db:"amount" json:"amount"`
	Currency           string  `db:"currency" json:"currency"`
	Interval           string  `db:"interval" json:"interval"`
	IntervalCount      int64   `db:"interval_count" json:"interval_count"`
	AutoRenew          bool    `db:"auto_renew" json:"auto_renew"`
	Countries          Strings `db:"countries" json:"countries"`
	Domains            Strings `db:"domains" json:"domains"`
	IPAddresses        Strings `db:"ip_addresses" json:"ip_addresses"`
	MemberSeatCapacity int64   `db:"member_seat_capacity" json:"member_seat_capacity"`
	Entitlements       Strings `db:"entitlements" json:"entitlements"`
	Image              string  `db:"image" json:"image"`
	AvailableOnline    bool    `db:"available_online" json:"available_online"`
	IsGift             bool    `db:"is_gift" json:"is_gift"`
	GiftDescription    string  `db:"gift_description" json:"gift_description"`
	ExpiresAt          *string `db:"expires_at" json:"expires_at"` // RFC 3339, nil when none; free access ignores it
	Metadata           JSON    `db:"metadata" json:"metadata"`
	GroupOwnerPlanID   *int64  `db:"group_owner_plan_id" json:"group_owner_plan_id"` // nil when none
	AgencyID           *int64  `db:"agency_id" json:"agency_id"`                     // nil when none
	AgencyRemitRate    float64 `db:"agency_remit_rate" json:"agency_remit_rate"`
	AppleProductID     *string `db:"apple_product_id" json:"apple_product_id"` // nil when none
	SendInvoiceEnabled bool    `db:"send_invoice_enabled" json:"send_invoice_enabled"`
	// SegmentIDs are the segments the plan is restricted to (empty: everybody), for the sale's checks; the
	// segment endpoints serve them.
	SegmentIDs      IDs     `db:"segment_ids" json:"-"`
	AddressRequired bool    `db:"address_required" json:"address_required"`
	Product         Product `db:"product" json:"product"`
}

// selectPlans reads plans with their products; the caller appends the conditions (the plan is p, its
// product pr) and binds the site id as $1: a plan is only ever read for the site its product belongs to.
const selectPlans = `SELECT p.id, p.product_id, p.site_id, p.active, p.nickname, p.name_internal, p.description,
	p.type, p.amount, p.currency, p.interval, p.interval_count, p.auto_renew,
	array_to_json(p.countries) AS countries, array_to_json(p.domains) AS domains,
	array_to_json(p.ip_addresses) AS ip_addresses, p.member_seat_capacity,
	array_to_json(p.entitlements) AS entitlements, p.image, p.available_online, p.is_gift, p.gift_description,
	NULLIF(p.expires_at, '') AS expires_at, p.metadata, NULLIF(p.group_owner_plan_id, 0) AS group_owner_plan_id,
	NULLIF(p.agency_id, 0) AS agency_id, p.agency_remit_rate, NULLIF(p.apple_product_id, '') AS apple_product_id,
	p.send_invoice_enabled, array_to_json(p.segment_ids) AS segment_ids, pr.address_required, ` + productColumns + `
	FROM catalog_plans p JOIN catalog_products pr ON pr.id = p.product_id
	WHERE pr.site_id = $1 AND `

// productColumns are the columns of the product pr, named for a field `db:"product"` of type Product.
const productColumns = `pr.id AS "product.id", pr.site_id AS "product.site_id", pr.name AS "product.name",
	pr.name_internal AS "product.name_internal", pr.description AS "product.description",
	pr.address_required AS "product.address_required", array_to_json(pr.countries) AS "product.countries",
	pr.is_hidden AS "product.is_hidden", pr.shippable AS "product.shippable", pr.image AS "product.image",
	pr.unit_label AS "product.unit_label", pr.statement_descriptor AS "product.statement_descriptor",
	pr.language AS "product.language", pr.active AS "product.active", pr.is_imported AS "product.is_imported",
	NULLIF(pr.old_provider_id, '') AS "product.old_provider_id",
	NULLIF(pr.import_unique_id, '') AS "product.import_unique_id",
	pr.package_dimensions AS "product.package_dimensions"`

// Plan returns the plan with the id if its product belongs to the site, otherwise ErrNotFound (endpoint 21).
func (c *Catalog) Plan(ctx context.Context, siteID, planID int64) (Plan, error) {
	plans, err := c.plans(ctx, `p.id = $2`, siteID, planID)
	if err != nil {
		return Plan{}, err
	}
	if len(plans) == 0 {
		return Plan{}, ErrNotFound
	}
	return plans[0], nil
}

// plans runs selectPlans with condition, ordered by plan id; args start with the site id.
func (c *Catalog) plans(ctx context.Context, condition string, args ...any) ([]Plan, error) {
	plans := []Plan{}
	if err := c.db.SelectContext(ctx, &plans, selectPlans+condition+` ORDER BY p.id`, args...); err != nil {
		return nil, fmt.Errorf("queries: plans of site %v where %s: %w", args[0], condition, err)
	}
	return plans, nil
}
