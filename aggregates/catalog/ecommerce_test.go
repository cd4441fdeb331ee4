package catalog_test

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/aggtest"
	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
)

var ecommerceProducts = aggtest.For(catalog.Events, catalog.EvolveEcommerceProduct)

var blueRef = catalog.SKURef{SKUID: 9001, EcommerceProductID: 301, SiteID: 1232}

func toteDefined() []catalog.EcommerceProductEvent {
	return []catalog.EcommerceProductEvent{
		catalog.EcommerceProductDefined{EcommerceProductID: 301, SiteID: 1232,
			EcommerceProductAttributes: toteBag().EcommerceProductAttributes, DefinedAt: defineTime},
		catalog.SKUDefined{SKURef: blueRef, SKUAttributes: blueTote().SKUAttributes, DefinedAt: defineTime},
	}
}

func TestEcommerceProductDecisions(t *testing.T) {
	t.Parallel()
	restocked, red := blueTote(), blueTote()
	restocked.Inventory = ptr(int64(40))
	red.ID, red.Name = 9002, "Tote bag, red"
	shortName := toteBag()
	shortName.Name = "TB"

	t.Run("define with SKUs", func(t *testing.T) {
		ecommerceProducts.Given().When(func(s catalog.EcommerceProductState) ([]catalog.EcommerceProductEvent, error) {
			return catalog.DefineEcommerceProduct(s, toteBag(blueTote()), defineTime)
		}).Then(t, toteDefined()...)
	})
	t.Run("unchanged", func(t *testing.T) {
		ecommerceProducts.Given(toteDefined()...).When(func(s catalog.EcommerceProductState) ([]catalog.EcommerceProductEvent, error) {
			return catalog.ChangeEcommerceProduct(s, toteBag(blueTote()), changeTime)
		}).Then(t)
	})
	t.Run("one SKU field changes, a new SKU is defined", func(t *testing.T) {
		ecommerceProducts.Given(toteDefined()...).When(func(s catalog.EcommerceProductState) ([]catalog.EcommerceProductEvent, error) {
			return catalog.ChangeEcommerceProduct(s, toteBag(restocked, red), changeTime)
		}).Then(t,
			catalog.SKUChanged{SKURef: blueRef, Changes: catalog.SKUPatch{Inventory: ptr(ptr(int64(40)))}, ChangedAt: changeTime},
			catalog.SKUDefined{SKURef: catalog.SKURef{SKUID: 9002, EcommerceProductID: 301, SiteID: 1232},
				SKUAttributes: red.SKUAttributes, DefinedAt: changeTime})
	})
	t.Run("a SKU change already applied is a no-op", func(t *testing.T) {
		applied := catalog.SKUChanged{SKURef: blueRef, Changes: catalog.SKUPatch{Inventory: ptr(ptr(int64(40)))}, ChangedAt: changeTime}
		ecommerceProducts.Given(append(toteDefined(), applied)...).
			When(func(s catalog.EcommerceProductState) ([]catalog.EcommerceProductEvent, error) {
				return catalog.ChangeEcommerceProduct(s, toteBag(restocked), changeTime)
			}).Then(t)
	})
	t.Run("names are 3 to 250 characters", func(t *testing.T) {
		ecommerceProducts.Given().When(func(s catalog.EcommerceProductState) ([]catalog.EcommerceProductEvent, error) {
			return catalog.DefineEcommerceProduct(s, shortName, defineTime)
		}).ThenError(t, catalog.ErrInvalid)
	})
	t.Run("defined once", func(t *testing.T) {
		ecommerceProducts.Given(toteDefined()...).When(func(s catalog.EcommerceProductState) ([]catalog.EcommerceProductEvent, error) {
			return catalog.DefineEcommerceProduct(s, toteBag(), defineTime)
		}).ThenError(t, catalog.ErrAlreadyDefined)
	})
}
