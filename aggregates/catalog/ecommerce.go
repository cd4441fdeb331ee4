package catalog

import (
	"maps"
	"time"
)

// EcommerceProductAttributes are an e-commerce product's editable fields (spec 3.4, Core e-commerce product).
type EcommerceProductAttributes struct {
	Name        string   `json:"name"`
	Caption     string   `json:"caption"`
	Description string   `json:"description" text:"multiline"`
	Shippable   bool     `json:"shippable"`
	Countries   []string `json:"countries"`
	Image       string   `json:"image"`
}

// EcommerceProductPatch holds the changed e-commerce product fields; nil means unchanged.
type EcommerceProductPatch struct {
	Name        *string   `json:"name,omitempty"`
	Caption     *string   `json:"caption,omitempty"`
	Description *string   `json:"description,omitempty"`
	Shippable   *bool     `json:"shippable,omitempty"`
	Countries   *[]string `json:"countries,omitempty"`
	Image       *string   `json:"image,omitempty"`
}

// EcommerceProduct is the desired state of a site's e-commerce product and of the SKUs it lists (SKUs it
// has but SKUs omits are left as they are). The payload of DefineEcommerceProduct and ChangeEcommerceProduct.
type EcommerceProduct struct {
	ID     int64 `json:"id"`
	SiteID int64 `json:"site_id"`
	EcommerceProductAttributes
	SKUs []SKU `json:"skus"`
}

// Problems lists the broken value rules of the product and its SKUs, including a SKU id listed twice.
func (p EcommerceProduct) Problems() Problems {
	c := textsChecked(p.EcommerceProductAttributes)
	c.positiveID("id", p.ID)
	c.positiveID("site_id", p.SiteID)
	c.length("name", p.Name, 3, 250)
	c.length("description", p.Description, 0, 1500)
	c.countries("countries", p.Countries)
	c.link("image", p.Image)
	children(&c, "skus", "SKU", p.SKUs)
	return c.problems
}

// EcommerceProductEvent is an event of an e-commerce product stream: the product's own and its SKUs'.
type EcommerceProductEvent interface {
	Event
	isEcommerceProductEvent()
}

// EcommerceProductDefined records a new e-commerce product of a site. Its SKUs follow as SKUDefined events.
type EcommerceProductDefined struct {
	EcommerceProductID int64 `json:"ecommerce_product_id"`
	SiteID             int64 `json:"site_id"`
	EcommerceProductAttributes
	DefinedAt time.Time `json:"defined_at"`
}

// EcommerceProductChanged records the e-commerce product fields that changed.
type EcommerceProductChanged struct {
	EcommerceProductID int64                 `json:"ecommerce_product_id"`
	SiteID             int64                 `json:"site_id"`
	Changes            EcommerceProductPatch `json:"changes"`
	ChangedAt          time.Time             `json:"changed_at"`
}

func (EcommerceProductDefined) isEcommerceProductEvent() {}
func (EcommerceProductChanged) isEcommerceProductEvent() {}

// Subject tells importers which e-commerce product was created.
func (e EcommerceProductDefined) Subject() Subject {
	return created(KindEcommerceProduct, e.EcommerceProductID)
}

// Subject tells importers which e-commerce product changed.
func (e EcommerceProductChanged) Subject() Subject {
	return changed(KindEcommerceProduct, e.EcommerceProductID)
}

// EcommerceProductState is an e-commerce product and its SKUs as the stream tells them; the zero value is
// a product never defined.
type EcommerceProductState struct {
	Defined    bool
	ID         int64
	SiteID     int64
	Attributes EcommerceProductAttributes
	SKUs       map[int64]SKUAttributes
}

// EvolveEcommerceProduct folds one event into the state. It copies the SKU map before writing, so earlier
// states stay valid.
func EvolveEcommerceProduct(s EcommerceProductState, e EcommerceProductEvent) EcommerceProductState {
	switch e := e.(type) {
	case EcommerceProductDefined:
		return EcommerceProductState{Defined: true, ID: e.EcommerceProductID, SiteID: e.SiteID,
			Attributes: e.EcommerceProductAttributes, SKUs: map[int64]SKUAttributes{}}
	case EcommerceProductChanged:
		s.Attributes = applyPatch(s.Attributes, e.Changes)
	case SKUDefined:
		s.SKUs = maps.Clone(s.SKUs)
		s.SKUs[e.SKUID] = e.SKUAttributes
	case SKUChanged:
		s.SKUs = maps.Clone(s.SKUs)
		s.SKUs[e.SKUID] = applyPatch(s.SKUs[e.SKUID], e.Changes)
	}
	return s
}

// DefineEcommerceProduct creates the e-commerce product and every SKU it lists.
func DefineEcommerceProduct(s EcommerceProductState, c EcommerceProduct, now time.Time) ([]EcommerceProductEvent, error) {
	if err := guardDefine(s.Defined, c.Problems()); err != nil {
		return nil, err
	}
	defined := EcommerceProductDefined{EcommerceProductID: c.ID, SiteID: c.SiteID,
		EcommerceProductAttributes: c.EcommerceProductAttributes, DefinedAt: now}
	return append([]EcommerceProductEvent{defined}, skuEvents(nil, c, now)...), nil
}

// ChangeEcommerceProduct brings the product and the SKUs it lists to c: at most one
// EcommerceProductChanged, then per SKU a SKUDefined (new) or at most one SKUChanged. No event when
// everything matches. A product never moves to another site (ErrOwnerChanged).
func ChangeEcommerceProduct(s EcommerceProductState, c EcommerceProduct, now time.Time) ([]EcommerceProductEvent, error) {
	if err := guardChange(s.Defined, c.SiteID == s.SiteID, c.Problems()); err != nil {
		return nil, err
	}
	events := changeEvents(s.Attributes, c.EcommerceProductAttributes, func(p EcommerceProductPatch) EcommerceProductEvent {
		return EcommerceProductChanged{EcommerceProductID: c.ID, SiteID: c.SiteID, Changes: p, ChangedAt: now}
	})
	return append(events, skuEvents(s.SKUs, c, now)...), nil
}
