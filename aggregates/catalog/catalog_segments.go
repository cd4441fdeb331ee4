package catalog

import "fmt"

// checkSegments checks the segments and the plans their plan_id rules name (plans of the file on the
// segment's site), and returns the site of every segment.
func (c Catalog) checkSegments(k *checker, sites index[int64], planSites map[int64]int64) map[int64]int64 {
	segments, segmentSites := index[int64]{}, map[int64]int64{}
	for i, s := range c.Segments {
		path := fmt.Sprintf("segments[%d]", i)
		k.within(path, s.Problems())
		segments.claim(k, s.ID, path+".id", "segment "+idString(s.ID))
		sites.resolve(k, s.SiteID, path+".site_id", "site")
		if _, taken := segmentSites[s.ID]; !taken {
			segmentSites[s.ID] = s.SiteID
		}
		for j, rule := range s.Rules {
			if rule.PlanID > 0 {
				sameSite(k, fmt.Sprintf("%s.rules[%d].plan_id", path, j), "plan", rule.PlanID, planSites, s.SiteID, "segment")
			}
		}
	}
	return segmentSites
}

// checkSegmentReferences checks the segment_ids of every plan, coupon and SKU: segments of the file on the
// item's site, since a segment of another site would let that site's rules decide who sees the item.
func (c Catalog) checkSegmentReferences(k *checker, segmentSites map[int64]int64) {
	check := func(path string, ids []int64, siteID int64, owner string) {
		for i, id := range ids {
			sameSite(k, fmt.Sprintf("%s.segment_ids[%d]", path, i), "segment", id, segmentSites, siteID, owner)
		}
	}
	for i, p := range c.Products {
		for j, plan := range p.Plans {
			check(fmt.Sprintf("products[%d].plans[%d]", i, j), plan.SegmentIDs, p.SiteID, "plan")
		}
	}
	for i, coupon := range c.Coupons {
		check(fmt.Sprintf("coupons[%d]", i), coupon.SegmentIDs, coupon.SiteID, "coupon")
	}
	for i, p := range c.EcommerceProducts {
		for j, sku := range p.SKUs {
			check(fmt.Sprintf("ecommerce_products[%d].skus[%d]", i, j), sku.SegmentIDs, p.SiteID, "SKU")
		}
	}
}

// sameSite reports at field a reference to a what (plan, segment) the file does not define, or one of
// another site than the owner's. Ids that are not positive are reported by the entity's own rules.
func sameSite(k *checker, field, what string, id int64, sites map[int64]int64, siteID int64, owner string) {
	switch site, defined := sites[id]; {
	case id <= 0:
	case !defined:
		k.add(field, "names %s %d, which the file does not define", what, id)
	case site != siteID:
		k.add(field, "names %s %d of site %d, not of the %s's site %d", what, id, site, owner, siteID)
	}
}
