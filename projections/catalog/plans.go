package catalog

import (
	"context"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// PlansName is the products-and-plans projection's name and checkpoint key. Warning: changing it replays
// the whole log into its tables (see projections.Projection.Name).
const PlansName = "catalog_plans.v1"

// Plans keeps catalog_products and catalog_plans (spec 3.3, 3.4), and the free-access tables derived from
// the plans, catalog_plan_domains and catalog_plan_ip_ranges (rules 13 and 14).
func Plans() projections.Projection {
	return projections.Projection{
		Name:   PlansName,
		Tables: []string{"catalog_products", "catalog_plans", "catalog_plan_domains", "catalog_plan_ip_ranges"},
		Handlers: []projections.Handler{
			projections.On(applyProductDefined),
			projections.On(applyProductChanged),
			projections.On(applyPlanDefined),
			projections.On(applyPlanChanged),
			projections.On(applyPlanRetired),
			projections.On(applyPlanReactivated),
		},
	}
}

func applyProductDefined(ctx context.Context, tx *sqlx.Tx, e projections.Event[catalog.ProductDefined]) error {
	a := e.Data.ProductAttributes
	return upsertRow(ctx, tx, "catalog_products", e.Data.ProductID, e.Revision, []column{
		{"site_id", e.Data.SiteID},
		{"name", a.Name},
		{"name_internal", a.NameInternal},
		{"description", a.Description},
		{"address_required", a.AddressRequired},
		{"countries", texts(a.Countries)},
		{"is_hidden", a.IsHidden},
		{"shippable", a.Shippable},
		{"image", a.Image},
		{"unit_label", a.UnitLabel},
		{"statement_descriptor", a.StatementDescriptor},
		{"language", a.Language},
		{"active", a.Active},
		{"is_imported", a.IsImported},
		{"old_provider_id", a.OldProviderID},
		{"import_unique_id", a.ImportUniqueID},
		{"package_dimensions", document(a.PackageDimensions)},
	})
}

func applyProductChanged(ctx context.Context, tx *sqlx.Tx, e projections.Event[catalog.ProductChanged]) error {
	p := e.Data.Changes
	return patchRow(ctx, tx, "catalog_products", e.Data.ProductID, e.Revision, []column{
		{"name", p.Name},
		{"name_internal", p.NameInternal},
		{"description", p.Description},
		{"address_required", p.AddressRequired},
		{"countries", changedTexts(p.Countries)},
		{"is_hidden", p.IsHidden},
		{"shippable", p.Shippable},
		{"image", p.Image},
		{"unit_label", p.UnitLabel},
		{"statement_descriptor", p.StatementDescriptor},
		{"language", p.Language},
		{"active", p.Active},
		{"is_imported", p.IsImported},
		{"old_provider_id", p.OldProviderID},
		{"import_unique_id", p.ImportUniqueID},
		{"package_dimensions", changedDocument(p.PackageDimensions)},
	})
}

func applyPlanDefined(ctx context.Context, tx *sqlx.Tx, e projections.Event[catalog.PlanDefined]) error {
	a := e.Data.PlanAttributes
	err := upsertRow(ctx, tx, "catalog_plans", e.Data.PlanID, e.Revision, []column{
		{"product_id", e.Data.ProductID},
		{"site_id", e.Data.SiteID},
		{"active", e.Data.Active},
		{"nickname", a.Nickname},
		{"name_internal", a.NameInternal},
		{"description", a.Description},
		{"type", a.Type},
		{"amount", a.Amount},
		{"currency", a.Currency},
		{"interval", a.Interval},
		{"interval_count", a.IntervalCount},
		{"auto_renew", a.AutoRenew},
		{"countries", texts(a.Countries)},
		{"domains", texts(a.Domains)},
		{"ip_addresses", texts(a.IPAddresses)},
		{"member_seat_capacity", a.MemberSeatCapacity},
		{"entitlements", texts(a.Entitlements)},
		{"image", a.Image},
		{"available_online", a.AvailableOnline},
		{"is_gift", a.IsGift},
		{"gift_description", a.GiftDescription},
		{"expires_at", a.ExpiresAt},
		{"metadata", document(a.Metadata)},
		{"group_owner_plan_id", a.GroupOwnerPlanID},
		{"agency_id", a.AgencyID},
		{"agency_remit_rate", a.AgencyRemitRate},
		{"apple_product_id", a.AppleProductID},
	})
	return refreshedAccess(ctx, tx, e.Data.PlanID, err)
}

func applyPlanChanged(ctx context.Context, tx *sqlx.Tx, e projections.Event[catalog.PlanChanged]) error {
	p := e.Data.Changes
	err := patchRow(ctx, tx, "catalog_plans", e.Data.PlanID, e.Revision, []column{
		{"nickname", p.Nickname},
		{"name_internal", p.NameInternal},
		{"description", p.Description},
		{"type", p.Type},
		{"amount", p.Amount},
		{"currency", p.Currency},
		{"interval", p.Interval},
		{"interval_count", p.IntervalCount},
		{"auto_renew", p.AutoRenew},
		{"countries", changedTexts(p.Countries)},
		{"domains", changedTexts(p.Domains)},
		{"ip_addresses", changedTexts(p.IPAddresses)},
		{"member_seat_capacity", p.MemberSeatCapacity},
		{"entitlements", changedTexts(p.Entitlements)},
		{"image", p.Image},
		{"available_online", p.AvailableOnline},
		{"is_gift", p.IsGift},
		{"gift_description", p.GiftDescription},
		{"expires_at", p.ExpiresAt},
		{"metadata", changedDocument(p.Metadata)},
		{"group_owner_plan_id", p.GroupOwnerPlanID},
		{"agency_id", p.AgencyID},
		{"agency_remit_rate", p.AgencyRemitRate},
		{"apple_product_id", p.AppleProductID},
	})
	return refreshedAccess(ctx, tx, e.Data.PlanID, err)
}

func applyPlanRetired(ctx context.Context, tx *sqlx.Tx, e projections.Event[catalog.PlanRetired]) error {
	return setPlanActive(ctx, tx, e.Data.PlanRef, e.Revision, false)
}

func applyPlanReactivated(ctx context.Context, tx *sqlx.Tx, e projections.Event[catalog.PlanReactivated]) error {
	return setPlanActive(ctx, tx, e.Data.PlanRef, e.Revision, true)
}

func setPlanActive(ctx context.Context, tx *sqlx.Tx, plan catalog.PlanRef, revision uint64, active bool) error {
	err := patchRow(ctx, tx, "catalog_plans", plan.PlanID, revision, []column{{"active", active}})
	return refreshedAccess(ctx, tx, plan.PlanID, err)
}

// refreshedAccess recomputes the plan's free-access rows after its row was written (unless writing it
// failed with err), from the row itself, so they always follow the plan's current state.
func refreshedAccess(ctx context.Context, tx *sqlx.Tx, planID int64, err error) error {
	if err != nil {
		return err
	}
	return refreshFreeAccess(ctx, tx, planID)
}
