package catalog_test

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/aggtest"
	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
)

var coupons = aggtest.For(catalog.Events, catalog.EvolveCoupon)

func couponDefined() catalog.CouponDefined {
	c := welcomeCoupon()
	return catalog.CouponDefined{CouponID: c.ID, SiteID: c.SiteID, CouponAttributes: c.CouponAttributes, DefinedAt: defineTime}
}

func TestCouponDecisions(t *testing.T) {
	t.Parallel()
	morePlans := welcomeCoupon()
	morePlans.PlanIDs = []int64{4051, 4052}
	everywhere := welcomeCoupon()
	everywhere.PlanIDs = nil
	otherSite := welcomeCoupon()
	otherSite.SiteID = 1233

	t.Run("define", func(t *testing.T) {
		coupons.Given().When(func(s catalog.CouponState) ([]catalog.CouponEvent, error) {
			return catalog.DefineCoupon(s, welcomeCoupon(), defineTime)
		}).Then(t, couponDefined())
	})
	t.Run("a changed list is carried whole", func(t *testing.T) {
		coupons.Given(couponDefined()).When(func(s catalog.CouponState) ([]catalog.CouponEvent, error) {
			return catalog.ChangeCoupon(s, morePlans, changeTime)
		}).Then(t, catalog.CouponChanged{CouponID: 77, SiteID: 1232,
			Changes: catalog.CouponPatch{PlanIDs: &[]int64{4051, 4052}}, ChangedAt: changeTime})
	})
	t.Run("emptying a list is a change to an empty list", func(t *testing.T) {
		coupons.Given(couponDefined()).When(func(s catalog.CouponState) ([]catalog.CouponEvent, error) {
			return catalog.ChangeCoupon(s, everywhere, changeTime)
		}).Then(t, catalog.CouponChanged{CouponID: 77, SiteID: 1232,
			Changes: catalog.CouponPatch{PlanIDs: &[]int64{}}, ChangedAt: changeTime})
	})
	t.Run("an emptied list stays empty on a second import", func(t *testing.T) {
		emptied := catalog.CouponChanged{CouponID: 77, SiteID: 1232, Changes: catalog.CouponPatch{PlanIDs: &[]int64{}},
			ChangedAt: changeTime}
		coupons.Given(couponDefined(), emptied).When(func(s catalog.CouponState) ([]catalog.CouponEvent, error) {
			return catalog.ChangeCoupon(s, everywhere, changeTime)
		}).Then(t)
	})
	t.Run("a coupon cannot move to another site", func(t *testing.T) {
		coupons.Given(couponDefined()).When(func(s catalog.CouponState) ([]catalog.CouponEvent, error) {
			return catalog.ChangeCoupon(s, otherSite, changeTime)
		}).ThenError(t, catalog.ErrOwnerChanged)
	})
}
