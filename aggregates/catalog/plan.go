package catalog

import "time"

// PlanAttributes are a plan's editable fields (spec 3.3). `active` is not among them: it is the plan's
// lifecycle (PlanRetired, PlanReactivated).
type PlanAttributes struct {
	Nickname           string   `json:"nickname"`
	NameInternal       string   `json:"name_internal"`
	Description        string   `json:"description" text:"multiline"`
	Type               string   `json:"type"`
	Amount             int64    `json:"amount"`
	Currency           string   `json:"currency"`
	Interval           string   `json:"interval"`
	IntervalCount      int64    `json:"interval_count"`
	AutoRenew          bool     `json:"auto_renew"`
	Countries          []string `json:"countries"`
	Domains            []string `json:"domains"`
	IPAddresses        []string `json:"ip_addresses"`
	MemberSeatCapacity int64    `json:"member_seat_capacity"`
	Entitlements       []string `json:"entitlements"`
	Image              string   `json:"image"`
	// AvailableOnline is true when the file leaves it out (the decoder's default tag, and the upcaster of
	// plans defined before the field existed): a plan is offered online unless the merchant says otherwise.
	AvailableOnline bool   `json:"available_online" default:"true"`
	IsGift          bool   `json:"is_gift"`
	GiftDescription string `json:"gift_description" text:"multiline"`
	// ExpiresAt is an RFC 3339 time, "" for none. It is stored and served only: free access ignores it
	// (rules 13 and 14), and nothing retires a plan by it.
	ExpiresAt        string   `json:"expires_at"`
	Metadata         Document `json:"metadata"`
	GroupOwnerPlanID int64    `json:"group_owner_plan_id"`
	AgencyID         int64    `json:"agency_id"`
	AgencyRemitRate  float64  `json:"agency_remit_rate"`
	AppleProductID   string   `json:"apple_product_id"`
	// SegmentIDs restricts the plan to the customers of these segments of its site; empty is everybody.
	SegmentIDs []int64 `json:"segment_ids"`
}

// PlanPatch holds the changed plan fields; nil means unchanged.
type PlanPatch struct {
	Nickname           *string   `json:"nickname,omitempty"`
	NameInternal       *string   `json:"name_internal,omitempty"`
	Description        *string   `json:"description,omitempty"`
	Type               *string   `json:"type,omitempty"`
	Amount             *int64    `json:"amount,omitempty"`
	Currency           *string   `json:"currency,omitempty"`
	Interval           *string   `json:"interval,omitempty"`
	IntervalCount      *int64    `json:"interval_count,omitempty"`
	AutoRenew          *bool     `json:"auto_renew,omitempty"`
	Countries          *[]string `json:"countries,omitempty"`
	Domains            *[]string `json:"domains,omitempty"`
	IPAddresses        *[]string `json:"ip_addresses,omitempty"`
	MemberSeatCapacity *int64    `json:"member_seat_capacity,omitempty"`
	Entitlements       *[]string `json:"entitlements,omitempty"`
	Image              *string   `json:"image,omitempty"`
	AvailableOnline    *bool     `json:"available_online,omitempty"`
	IsGift             *bool     `json:"is_gift,omitempty"`
	GiftDescription    *string   `json:"gift_description,omitempty"`
	ExpiresAt          *string   `json:"expires_at,omitempty"`
	Metadata           *Document `json:"metadata,omitempty"`
	GroupOwnerPlanID   *int64    `json:"group_owner_plan_id,omitempty"`
	AgencyID           *int64    `json:"agency_id,omitempty"`
	AgencyRemitRate    *float64  `json:"agency_remit_rate,omitempty"`
	AppleProductID     *string   `json:"apple_product_id,omitempty"`
	SegmentIDs         *[]int64  `json:"segment_ids,omitempty"`
}

// PlanTypeMembership is the only plan type the spec names: a plan whose subscriber owns member seats.
const PlanTypeMembership = "membership"

// Plan is the desired state of one plan of a product.
type Plan struct {
	ID int64 `json:"id"`
	// Active is nil when the file leaves it out, which means active: forgetting the field must not retire
	// a plan people are subscribing to.
	Active *bool `json:"active"`
	PlanAttributes
}

// IsActive reports whether the plan should be on sale.
func (p Plan) IsActive() bool { return p.Active == nil || *p.Active }

func (p Plan) childID() int64 { return p.ID }

// Problems lists the plan's broken value rules.
func (p Plan) Problems() Problems {
	c := textsChecked(p.PlanAttributes)
	c.positiveID("id", p.ID)
	c.required("nickname", p.Nickname)
	if p.Type != "" && p.Type != PlanTypeMembership {
		c.add("type", "must be %q or left out, got %q", PlanTypeMembership, p.Type)
	}
	c.notNegative("amount", p.Amount)
	c.currency("currency", p.Currency)
	c.oneOf("interval", p.Interval, "day", "week", "month", "year")
	if p.IntervalCount < 1 {
		c.add("interval_count", "must be at least 1, got %d", p.IntervalCount)
	}
	switch {
	case p.Type == PlanTypeMembership && p.MemberSeatCapacity < 1:
		c.add("member_seat_capacity", "must be at least 1 for a membership plan, got %d", p.MemberSeatCapacity)
	case p.Type != PlanTypeMembership && p.MemberSeatCapacity != 0:
		c.add("member_seat_capacity", "is only for membership plans (type: membership)")
	}
	c.countries("countries", p.Countries)
	c.domains("domains", p.Domains)
	c.ipRanges("ip_addresses", p.IPAddresses)
	c.link("image", p.Image)
	c.timestamp("expires_at", p.ExpiresAt)
	c.notNegative("group_owner_plan_id", p.GroupOwnerPlanID)
	if p.GroupOwnerPlanID == p.ID && p.ID != 0 {
		c.add("group_owner_plan_id", "names the plan itself")
	}
	c.notNegative("agency_id", p.AgencyID)
	c.percentage("agency_remit_rate", p.AgencyRemitRate, true)
	c.token("apple_product_id", p.AppleProductID)
	c.uniqueIDs("segment_ids", p.SegmentIDs)
	return c.problems
}

// PlanState is a plan as its product's stream tells it.
type PlanState struct {
	Attributes PlanAttributes
	Active     bool
}

// PlanRef names a plan in its events: the plan, its product and the product's site.
type PlanRef struct {
	PlanID    int64 `json:"plan_id"`
	ProductID int64 `json:"product_id"`
	SiteID    int64 `json:"site_id"`
}

// PlanDefined records a new plan of a product.
type PlanDefined struct {
	PlanRef
	PlanAttributes
	Active    bool      `json:"active"`
	DefinedAt time.Time `json:"defined_at"`
}

// PlanChanged records the plan fields that changed.
type PlanChanged struct {
	PlanRef
	Changes   PlanPatch `json:"changes"`
	ChangedAt time.Time `json:"changed_at"`
}

// PlanRetired records that a plan is no longer on sale (`active: false`); existing subscriptions keep it.
type PlanRetired struct {
	PlanRef
	RetiredAt time.Time `json:"retired_at"`
}

// PlanReactivated records that a retired plan is on sale again.
type PlanReactivated struct {
	PlanRef
	ReactivatedAt time.Time `json:"reactivated_at"`
}

// planEvent is implemented by the plan events so EvolveProduct can fold them without a case each.
type planEvent interface {
	planID() int64
	evolvePlan(PlanState) PlanState
}

func (r PlanRef) planID() int64 { return r.PlanID }

// Subject tells importers which plan the event is about.
func (r PlanRef) Subject() Subject { return changed(KindPlan, r.PlanID) }

// Subject tells importers which plan was created.
func (e PlanDefined) Subject() Subject { return created(KindPlan, e.PlanID) }

func (e PlanDefined) evolvePlan(PlanState) PlanState {
	return PlanState{Attributes: e.PlanAttributes, Active: e.Active}
}
func (e PlanChanged) evolvePlan(s PlanState) PlanState {
	s.Attributes = applyPatch(s.Attributes, e.Changes)
	return s
}
func (PlanRetired) evolvePlan(s PlanState) PlanState     { s.Active = false; return s }
func (PlanReactivated) evolvePlan(s PlanState) PlanState { s.Active = true; return s }

func (PlanDefined) isProductEvent()     {}
func (PlanChanged) isProductEvent()     {}
func (PlanRetired) isProductEvent()     {}
func (PlanReactivated) isProductEvent() {}

// planEvents decides the events of every plan c lists against the plans the product has (nil: none).
func planEvents(current map[int64]PlanState, c Product, now time.Time) []ProductEvent {
	var events []ProductEvent
	for _, plan := range c.Plans {
		ref := PlanRef{PlanID: plan.ID, ProductID: c.ID, SiteID: c.SiteID}
		state, exists := current[plan.ID]
		if !exists {
			events = append(events, PlanDefined{PlanRef: ref, PlanAttributes: plan.PlanAttributes,
				Active: plan.IsActive(), DefinedAt: now})
			continue
		}
		events = append(events, changeEvents(state.Attributes, plan.PlanAttributes, func(p PlanPatch) ProductEvent {
			return PlanChanged{PlanRef: ref, Changes: p, ChangedAt: now}
		})...)
		switch {
		case state.Active && !plan.IsActive():
			events = append(events, PlanRetired{PlanRef: ref, RetiredAt: now})
		case !state.Active && plan.IsActive():
			events = append(events, PlanReactivated{PlanRef: ref, ReactivatedAt: now})
		}
	}
	return events
}
