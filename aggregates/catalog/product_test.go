package catalog_test

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/aggtest"
	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
)

var products = aggtest.For(catalog.Events, catalog.EvolveProduct)

var (
	monthlyRef = catalog.PlanRef{PlanID: 4051, ProductID: 10, SiteID: 1232}
	campusRef  = catalog.PlanRef{PlanID: 4052, ProductID: 10, SiteID: 1232}
)

// definedWithPlans is the history of Digital Access defined with the monthly and campus plans, both active.
func definedWithPlans() []catalog.ProductEvent {
	p := digitalAccess()
	return []catalog.ProductEvent{
		catalog.ProductDefined{ProductID: 10, SiteID: 1232, ProductAttributes: p.ProductAttributes, DefinedAt: defineTime},
		catalog.PlanDefined{PlanRef: monthlyRef, PlanAttributes: monthlyPlan().PlanAttributes, Active: true, DefinedAt: defineTime},
		catalog.PlanDefined{PlanRef: campusRef, PlanAttributes: campusPlan().PlanAttributes, Active: true, DefinedAt: defineTime},
	}
}

func TestDefineProductDefinesItsPlans(t *testing.T) {
	t.Parallel()
	products.Given().When(func(s catalog.ProductState) ([]catalog.ProductEvent, error) {
		return catalog.DefineProduct(s, digitalAccess(monthlyPlan(), campusPlan()), defineTime)
	}).Then(t, definedWithPlans()...)
}

func TestChangeProduct(t *testing.T) {
	t.Parallel()
	retired, cheaper, renamed, annual := monthlyPlan(), monthlyPlan(), digitalAccess(), monthlyPlan()
	retired.Active = ptr(false)
	cheaper.Amount = 799
	renamed.Name = "All Access"
	annual.ID, annual.Interval = 4053, "year"
	retiredEvent := catalog.PlanRetired{PlanRef: monthlyRef, RetiredAt: changeTime}
	duplicate := digitalAccess(monthlyPlan(), monthlyPlan())
	moved := digitalAccess()
	moved.SiteID = 1233

	tests := []struct {
		name    string
		given   []catalog.ProductEvent
		desired catalog.Product
		want    []catalog.ProductEvent
		wantErr error
	}{
		{name: "unchanged product and plans", desired: digitalAccess(monthlyPlan(), campusPlan())},
		{name: "plans left out of the file are left alone", desired: digitalAccess(campusPlan())},
		{name: "the product's name only", desired: renamed, want: []catalog.ProductEvent{catalog.ProductChanged{
			ProductID: 10, SiteID: 1232, Changes: catalog.ProductPatch{Name: ptr("All Access")}, ChangedAt: changeTime}}},
		{name: "one plan field", desired: digitalAccess(cheaper), want: []catalog.ProductEvent{catalog.PlanChanged{
			PlanRef: monthlyRef, Changes: catalog.PlanPatch{Amount: ptr(int64(799))}, ChangedAt: changeTime}}},
		{name: "active: false retires the plan", desired: digitalAccess(retired),
			want: []catalog.ProductEvent{retiredEvent}},
		{name: "a retired plan stays retired", given: []catalog.ProductEvent{retiredEvent}, desired: digitalAccess(retired)},
		{name: "active: true reactivates it", given: []catalog.ProductEvent{retiredEvent}, desired: digitalAccess(monthlyPlan()),
			want: []catalog.ProductEvent{catalog.PlanReactivated{PlanRef: monthlyRef, ReactivatedAt: changeTime}}},
		{name: "a new plan is defined", desired: digitalAccess(annual), want: []catalog.ProductEvent{catalog.PlanDefined{
			PlanRef: catalog.PlanRef{PlanID: 4053, ProductID: 10, SiteID: 1232}, PlanAttributes: annual.PlanAttributes,
			Active: true, DefinedAt: changeTime}}},
		{name: "a plan listed twice is invalid", desired: duplicate, wantErr: catalog.ErrInvalid},
		{name: "a product cannot move to another site", desired: moved, wantErr: catalog.ErrOwnerChanged},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			outcome := products.Given(append(definedWithPlans(), tt.given...)...).
				When(func(s catalog.ProductState) ([]catalog.ProductEvent, error) {
					return catalog.ChangeProduct(s, tt.desired, changeTime)
				})
			if tt.wantErr != nil {
				outcome.ThenError(t, tt.wantErr)
				return
			}
			outcome.Then(t, tt.want...)
		})
	}
	t.Run("a product never defined cannot change", func(t *testing.T) {
		products.Given().When(func(s catalog.ProductState) ([]catalog.ProductEvent, error) {
			return catalog.ChangeProduct(s, digitalAccess(), changeTime)
		}).ThenError(t, catalog.ErrNotDefined)
	})
}

func TestEvolveProductLeavesEarlierStatesUntouched(t *testing.T) {
	t.Parallel()
	// Given a state with the monthly plan active
	history := definedWithPlans()
	var before catalog.ProductState
	for _, e := range history {
		before = catalog.EvolveProduct(before, e)
	}

	// When a later event retires it
	after := catalog.EvolveProduct(before, catalog.PlanRetired{PlanRef: monthlyRef, RetiredAt: changeTime})

	// Then only the new state sees the plan retired
	if !before.Plans[4051].Active || after.Plans[4051].Active {
		t.Fatalf("before active=%v after active=%v, want true then false", before.Plans[4051].Active, after.Plans[4051].Active)
	}
}
