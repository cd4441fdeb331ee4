package catalog

import "time"

// SKUAttributes are a SKU's editable fields: each SKU has its own price, currency and inventory (spec 3.4).
type SKUAttributes struct {
	Name     string `json:"name"`
	Price    int64  `json:"price"`
	Currency string `json:"currency"`
	// Inventory is how many units orders may sell in all; nil (the file gives none, stored as null) is no
	// limit: orders of it are never refused for stock and hold no units.
	Inventory *int64 `json:"inventory"`
	// SegmentIDs restricts the SKU to the customers of these segments of its site; empty is everybody.
	SegmentIDs []int64 `json:"segment_ids"`
}

// SKUPatch holds the changed SKU fields; nil means unchanged. Inventory set to a nil pointer means the SKU
// became unlimited: it is stored as `"inventory": null` (see MarshalJSON), where an absent key is unchanged.
type SKUPatch struct {
	Name       *string  `json:"name,omitempty"`
	Price      *int64   `json:"price,omitempty"`
	Currency   *string  `json:"currency,omitempty"`
	Inventory  **int64  `json:"inventory,omitempty"`
	SegmentIDs *[]int64 `json:"segment_ids,omitempty"`
}

// SKU is the desired state of one sellable variant of an e-commerce product.
type SKU struct {
	ID int64 `json:"id"`
	SKUAttributes
}

func (s SKU) childID() int64 { return s.ID }

// Problems lists the SKU's broken value rules.
func (s SKU) Problems() Problems {
	c := textsChecked(s.SKUAttributes)
	c.positiveID("id", s.ID)
	c.required("name", s.Name)
	c.notNegative("price", s.Price)
	c.currency("currency", s.Currency)
	if s.Inventory != nil {
		c.notNegative("inventory", *s.Inventory)
	}
	c.uniqueIDs("segment_ids", s.SegmentIDs)
	return c.problems
}

// SKURef names a SKU in its events: the SKU, its e-commerce product and the product's site.
type SKURef struct {
	SKUID              int64 `json:"sku_id"`
	EcommerceProductID int64 `json:"ecommerce_product_id"`
	SiteID             int64 `json:"site_id"`
}

// SKUDefined records a new SKU of an e-commerce product.
type SKUDefined struct {
	SKURef
	SKUAttributes
	DefinedAt time.Time `json:"defined_at"`
}

// SKUChanged records the SKU fields that changed.
type SKUChanged struct {
	SKURef
	Changes   SKUPatch  `json:"changes"`
	ChangedAt time.Time `json:"changed_at"`
}

func (SKUDefined) isEcommerceProductEvent() {}
func (SKUChanged) isEcommerceProductEvent() {}

// Subject tells importers which SKU was created.
func (e SKUDefined) Subject() Subject { return created(KindSKU, e.SKUID) }

// Subject tells importers which SKU changed.
func (e SKUChanged) Subject() Subject { return changed(KindSKU, e.SKUID) }

// skuEvents decides the events of every SKU c lists against the SKUs the product has (nil: none).
func skuEvents(current map[int64]SKUAttributes, c EcommerceProduct, now time.Time) []EcommerceProductEvent {
	var events []EcommerceProductEvent
	for _, sku := range c.SKUs {
		ref := SKURef{SKUID: sku.ID, EcommerceProductID: c.ID, SiteID: c.SiteID}
		state, exists := current[sku.ID]
		if !exists {
			events = append(events, SKUDefined{SKURef: ref, SKUAttributes: sku.SKUAttributes, DefinedAt: now})
			continue
		}
		events = append(events, changeEvents(state, sku.SKUAttributes, func(p SKUPatch) EcommerceProductEvent {
			return SKUChanged{SKURef: ref, Changes: p, ChangedAt: now}
		})...)
	}
	return events
}
