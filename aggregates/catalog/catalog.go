package catalog

import "fmt"

// Catalog is the desired state of a whole catalog file: what `pelcro catalog import` makes the event
// store hold. Entities it leaves out are left as they are (no implicit deletes).
type Catalog struct {
	Accounts          []Account          `json:"accounts"`
	Sites             []Site             `json:"sites"`
	Products          []Product          `json:"products"`
	Coupons           []Coupon           `json:"coupons"`
	EcommerceProducts []EcommerceProduct `json:"ecommerce_products"`
	TaxRates          []TaxRate          `json:"tax_rates"`
	Segments          []Segment          `json:"segments"`
}

// Problems lists every broken rule of the catalog: each entity's value rules, ids used twice, and
// references to entities the catalog does not define (a site of a missing account, a product of a missing
// site, a coupon naming a missing plan or a plan of another site, a segment_ids entry naming a missing
// segment or one of another site). References resolve inside the catalog
// only, so a file is checked completely before anything is written. Fields are paths from the catalog's
// root, e.g. "products[0].plans[1].currency".
func (c Catalog) Problems() Problems {
	var k checker
	accounts, sites := index[int64]{}, index[int64]{}
	for i, a := range c.Accounts {
		path := fmt.Sprintf("accounts[%d]", i)
		k.within(path, a.Problems())
		accounts.claim(&k, a.ID, path+".id", "account "+idString(a.ID))
	}
	for i, s := range c.Sites {
		path := fmt.Sprintf("sites[%d]", i)
		k.within(path, s.Problems())
		sites.claim(&k, s.ID, path+".id", "site "+idString(s.ID))
		accounts.resolve(&k, s.AccountID, path+".account_id", "account")
	}
	planSites := c.checkProducts(&k, sites)
	c.checkCoupons(&k, sites, planSites)
	c.checkEcommerceProducts(&k, sites)
	c.checkSegmentReferences(&k, c.checkSegments(&k, sites, planSites))
	taxRates := index[TaxRateRef]{}
	for i, t := range c.TaxRates {
		path := fmt.Sprintf("tax_rates[%d]", i)
		k.within(path, t.Problems())
		taxRates.claim(&k, t.TaxRateRef, path, fmt.Sprintf("the tax rate of site %d, %s %s", t.SiteID, t.Country, t.State))
		sites.resolve(&k, t.SiteID, path+".site_id", "site")
	}
	return k.problems
}

// checkProducts checks the products and their plans, and returns the site of every plan.
func (c Catalog) checkProducts(k *checker, sites index[int64]) map[int64]int64 {
	products, plans, planSites := index[int64]{}, map[int64]int64{}, map[int64]int64{}
	for i, p := range c.Products {
		path := fmt.Sprintf("products[%d]", i)
		k.within(path, p.Problems())
		products.claim(k, p.ID, path+".id", "product "+idString(p.ID))
		sites.resolve(k, p.SiteID, path+".site_id", "site")
		for j, plan := range p.Plans {
			if owner, taken := plans[plan.ID]; taken && owner != p.ID {
				k.add(fmt.Sprintf("%s.plans[%d].id", path, j), "repeats plan id %d of product %d", plan.ID, owner)
				continue
			}
			plans[plan.ID], planSites[plan.ID] = p.ID, p.SiteID
		}
	}
	for i, p := range c.Products {
		for j, plan := range p.Plans {
			field := fmt.Sprintf("products[%d].plans[%d].group_owner_plan_id", i, j)
			switch site, defined := planSites[plan.GroupOwnerPlanID]; {
			case plan.GroupOwnerPlanID <= 0:
			case !defined:
				k.add(field, "names plan %d, which the file does not define", plan.GroupOwnerPlanID)
			case site != p.SiteID:
				k.add(field, "names plan %d of site %d, not of this plan's site %d", plan.GroupOwnerPlanID, site, p.SiteID)
			}
		}
	}
	return planSites
}

// siteCode identifies a coupon by what customers type: codes are unique per site.
type siteCode struct {
	site int64
	code string
}

func (c Catalog) checkCoupons(k *checker, sites index[int64], planSites map[int64]int64) {
	coupons := index[int64]{}
	codes := index[siteCode]{}
	for i, coupon := range c.Coupons {
		path := fmt.Sprintf("coupons[%d]", i)
		k.within(path, coupon.Problems())
		coupons.claim(k, coupon.ID, path+".id", "coupon "+idString(coupon.ID))
		codes.claim(k, siteCode{coupon.SiteID, coupon.Code}, path+".code",
			fmt.Sprintf("code %s of site %d", coupon.Code, coupon.SiteID))
		sites.resolve(k, coupon.SiteID, path+".site_id", "site")
		for j, planID := range coupon.PlanIDs {
			field := fmt.Sprintf("%s.plan_ids[%d]", path, j)
			switch site, defined := planSites[planID]; {
			case !defined:
				k.add(field, "names plan %d, which the file does not define", planID)
			case site != coupon.SiteID:
				k.add(field, "names plan %d of site %d, not of the coupon's site %d", planID, site, coupon.SiteID)
			}
		}
	}
}

func (c Catalog) checkEcommerceProducts(k *checker, sites index[int64]) {
	products, skus := index[int64]{}, map[int64]int64{}
	for i, p := range c.EcommerceProducts {
		path := fmt.Sprintf("ecommerce_products[%d]", i)
		k.within(path, p.Problems())
		products.claim(k, p.ID, path+".id", "e-commerce product "+idString(p.ID))
		sites.resolve(k, p.SiteID, path+".site_id", "site")
		for j, sku := range p.SKUs {
			if owner, taken := skus[sku.ID]; taken && owner != p.ID {
				k.add(fmt.Sprintf("%s.skus[%d].id", path, j), "repeats SKU id %d of e-commerce product %d", sku.ID, owner)
				continue
			}
			skus[sku.ID] = p.ID
		}
	}
}

// index remembers where each key was first seen.
type index[K comparable] map[K]string

// claim records key at path, or reports that path repeats an earlier one; label names the key in the
// message ("site 1232").
func (ix index[K]) claim(k *checker, key K, path, label string) {
	if first, taken := ix[key]; taken {
		k.add(path, "repeats %s (first at %s)", label, first)
		return
	}
	ix[key] = path
}

// resolve reports a reference to a key nobody claimed. Missing ids (0) are reported by the entity's rules.
func (ix index[K]) resolve(k *checker, key K, path, what string) {
	var missing K
	if _, defined := ix[key]; !defined && key != missing {
		k.add(path, "names %s %v, which the file does not define", what, key)
	}
}
