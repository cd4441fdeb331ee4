package catalog

import (
	"maps"
	"time"
)

// ProductAttributes are a subscription product's editable fields (spec 3.4).
type ProductAttributes struct {
	Name                string   `json:"name"`
	NameInternal        string   `json:"name_internal"`
	Description         string   `json:"description" text:"multiline"`
	AddressRequired     bool     `json:"address_required"`
	Countries           []string `json:"countries"`
	IsHidden            bool     `json:"is_hidden"`
	Shippable           bool     `json:"shippable"`
	Image               string   `json:"image"`
	UnitLabel           string   `json:"unit_label"`
	StatementDescriptor string   `json:"statement_descriptor"`
	Language            string   `json:"language"`
	// Active is true when the file leaves it out (the decoder's default tag, and the upcaster of products
	// defined before the field existed). It is stored and served only: plans are retired one by one.
	Active            bool     `json:"active" default:"true"`
	IsImported        bool     `json:"is_imported"`
	OldProviderID     string   `json:"old_provider_id"`
	ImportUniqueID    string   `json:"import_unique_id"`
	PackageDimensions Document `json:"package_dimensions"`
}

// ProductPatch holds the changed product fields; nil means unchanged.
type ProductPatch struct {
	Name                *string   `json:"name,omitempty"`
	NameInternal        *string   `json:"name_internal,omitempty"`
	Description         *string   `json:"description,omitempty"`
	AddressRequired     *bool     `json:"address_required,omitempty"`
	Countries           *[]string `json:"countries,omitempty"`
	IsHidden            *bool     `json:"is_hidden,omitempty"`
	Shippable           *bool     `json:"shippable,omitempty"`
	Image               *string   `json:"image,omitempty"`
	UnitLabel           *string   `json:"unit_label,omitempty"`
	StatementDescriptor *string   `json:"statement_descriptor,omitempty"`
	Language            *string   `json:"language,omitempty"`
	Active              *bool     `json:"active,omitempty"`
	IsImported          *bool     `json:"is_imported,omitempty"`
	OldProviderID       *string   `json:"old_provider_id,omitempty"`
	ImportUniqueID      *string   `json:"import_unique_id,omitempty"`
	PackageDimensions   *Document `json:"package_dimensions,omitempty"`
}

// Product is the desired state of a subscription product of a site and of the plans it lists. Plans the
// product already has but Plans omits are left as they are. The payload of DefineProduct and ChangeProduct.
type Product struct {
	ID     int64 `json:"id"`
	SiteID int64 `json:"site_id"`
	ProductAttributes
	Plans []Plan `json:"plans"`
}

// Problems lists the broken value rules of the product and its plans, including a plan id listed twice.
func (p Product) Problems() Problems {
	c := textsChecked(p.ProductAttributes)
	c.positiveID("id", p.ID)
	c.positiveID("site_id", p.SiteID)
	c.required("name", p.Name)
	c.countries("countries", p.Countries)
	c.link("image", p.Image)
	children(&c, "plans", "plan", p.Plans)
	return c.problems
}

// ProductEvent is an event of a product stream: the product's own and its plans'.
type ProductEvent interface {
	Event
	isProductEvent()
}

// ProductDefined records a new product of a site. Its plans follow as PlanDefined events.
type ProductDefined struct {
	ProductID int64 `json:"product_id"`
	SiteID    int64 `json:"site_id"`
	ProductAttributes
	DefinedAt time.Time `json:"defined_at"`
}

// ProductChanged records the product fields that changed.
type ProductChanged struct {
	ProductID int64        `json:"product_id"`
	SiteID    int64        `json:"site_id"`
	Changes   ProductPatch `json:"changes"`
	ChangedAt time.Time    `json:"changed_at"`
}

func (ProductDefined) isProductEvent() {}
func (ProductChanged) isProductEvent() {}

// Subject tells importers which product was created.
func (e ProductDefined) Subject() Subject { return created(KindProduct, e.ProductID) }

// Subject tells importers which product changed.
func (e ProductChanged) Subject() Subject { return changed(KindProduct, e.ProductID) }

// ProductState is a product and its plans as the stream tells them; the zero value is a product never
// defined.
type ProductState struct {
	Defined    bool
	ID         int64
	SiteID     int64
	Attributes ProductAttributes
	Plans      map[int64]PlanState
}

// EvolveProduct folds one event into the state. It copies the plan map before writing, so earlier states
// stay valid.
func EvolveProduct(s ProductState, e ProductEvent) ProductState {
	switch e := e.(type) {
	case ProductDefined:
		return ProductState{Defined: true, ID: e.ProductID, SiteID: e.SiteID, Attributes: e.ProductAttributes,
			Plans: map[int64]PlanState{}}
	case ProductChanged:
		s.Attributes = applyPatch(s.Attributes, e.Changes)
	case planEvent:
		s.Plans = maps.Clone(s.Plans)
		s.Plans[e.planID()] = e.evolvePlan(s.Plans[e.planID()])
	}
	return s
}

// DefineProduct creates the product and every plan it lists.
func DefineProduct(s ProductState, c Product, now time.Time) ([]ProductEvent, error) {
	if err := guardDefine(s.Defined, c.Problems()); err != nil {
		return nil, err
	}
	defined := ProductDefined{ProductID: c.ID, SiteID: c.SiteID, ProductAttributes: c.ProductAttributes, DefinedAt: now}
	return append([]ProductEvent{defined}, planEvents(nil, c, now)...), nil
}

// ChangeProduct brings the product and the plans it lists to c: at most one ProductChanged, then per plan
// a PlanDefined (new), at most one PlanChanged, and a PlanRetired or PlanReactivated when `active` differs.
// No event when everything matches. A product never moves to another site (ErrOwnerChanged).
func ChangeProduct(s ProductState, c Product, now time.Time) ([]ProductEvent, error) {
	if err := guardChange(s.Defined, c.SiteID == s.SiteID, c.Problems()); err != nil {
		return nil, err
	}
	events := changeEvents(s.Attributes, c.ProductAttributes, func(p ProductPatch) ProductEvent {
		return ProductChanged{ProductID: c.ID, SiteID: c.SiteID, Changes: p, ChangedAt: now}
	})
	return append(events, planEvents(s.Plans, c, now)...), nil
}
