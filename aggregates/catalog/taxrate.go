package catalog

import (
	"strings"
	"time"
)

// TaxRateAttributes are a tax rate's editable fields.
type TaxRateAttributes struct {
	Name       string  `json:"name"`
	Percentage float64 `json:"percentage"`
	Inclusive  bool    `json:"inclusive"`
}

// TaxRatePatch holds the changed tax rate fields; nil means unchanged.
type TaxRatePatch struct {
	Name       *string  `json:"name,omitempty"`
	Percentage *float64 `json:"percentage,omitempty"`
	Inclusive  *bool    `json:"inclusive,omitempty"`
}

// TaxRateRef identifies a tax rate: a site charges one rate per country and state (no state: the whole
// country). Tax rates have no id of their own in the file, so this key is their identity.
type TaxRateRef struct {
	SiteID  int64  `json:"site_id"`
	Country string `json:"country"`
	State   string `json:"state"`
}

// Key is the tax rate's aggregate id, "<site>:<country>:<state>". Warning: it names the stream; changing
// the format orphans every stored tax rate.
func (r TaxRateRef) Key() string { return idString(r.SiteID) + ":" + r.Country + ":" + r.State }

// Subject tells importers which tax rate the event is about.
func (r TaxRateRef) Subject() Subject { return Subject{Kind: KindTaxRate, ID: r.Key()} }

// TaxRate is the desired state of a tax rate. The payload of DefineTaxRate and ChangeTaxRate.
type TaxRate struct {
	TaxRateRef
	TaxRateAttributes
}

// Problems lists the tax rate's broken value rules.
func (t TaxRate) Problems() Problems {
	c := textsChecked(t.TaxRateAttributes)
	c.positiveID("site_id", t.SiteID)
	c.country("country", t.Country)
	if n := len(t.State); n > 3 || strings.ContainsFunc(t.State, func(r rune) bool {
		return !isDigit(r) && !(r >= 'A' && r <= 'Z')
	}) {
		c.add("state", "must be an ISO 3166-2 subdivision code of 1 to 3 uppercase letters or digits, such as QC, got %q", t.State)
	}
	c.required("name", t.Name)
	c.percentage("percentage", t.Percentage, true)
	return c.problems
}

// TaxRateEvent is an event of a tax rate stream.
type TaxRateEvent interface {
	Event
	isTaxRateEvent()
}

// TaxRateDefined records a new tax rate of a site.
type TaxRateDefined struct {
	TaxRateRef
	TaxRateAttributes
	DefinedAt time.Time `json:"defined_at"`
}

// TaxRateChanged records the tax rate fields that changed.
type TaxRateChanged struct {
	TaxRateRef
	Changes   TaxRatePatch `json:"changes"`
	ChangedAt time.Time    `json:"changed_at"`
}

func (TaxRateDefined) isTaxRateEvent() {}
func (TaxRateChanged) isTaxRateEvent() {}

// Subject tells importers which tax rate was created.
func (e TaxRateDefined) Subject() Subject {
	return Subject{Kind: KindTaxRate, ID: e.Key(), Created: true}
}

// TaxRateState is a tax rate as its stream tells it; the zero value is a tax rate never defined.
type TaxRateState struct {
	Defined bool
	TaxRate TaxRate
}

// EvolveTaxRate folds one event into the state.
func EvolveTaxRate(s TaxRateState, e TaxRateEvent) TaxRateState {
	switch e := e.(type) {
	case TaxRateDefined:
		s = TaxRateState{Defined: true, TaxRate: TaxRate{TaxRateRef: e.TaxRateRef, TaxRateAttributes: e.TaxRateAttributes}}
	case TaxRateChanged:
		s.TaxRate.TaxRateAttributes = applyPatch(s.TaxRate.TaxRateAttributes, e.Changes)
	}
	return s
}

// DefineTaxRate creates the tax rate.
func DefineTaxRate(s TaxRateState, c TaxRate, now time.Time) ([]TaxRateEvent, error) {
	if err := guardDefine(s.Defined, c.Problems()); err != nil {
		return nil, err
	}
	return []TaxRateEvent{TaxRateDefined{TaxRateRef: c.TaxRateRef, TaxRateAttributes: c.TaxRateAttributes, DefinedAt: now}}, nil
}

// ChangeTaxRate brings the tax rate to c: one TaxRateChanged with the differing fields, or no event. The
// key never changes (it is the stream), so the owner guard always holds here.
func ChangeTaxRate(s TaxRateState, c TaxRate, now time.Time) ([]TaxRateEvent, error) {
	if err := guardChange(s.Defined, c.TaxRateRef == s.TaxRate.TaxRateRef, c.Problems()); err != nil {
		return nil, err
	}
	return changeEvents(s.TaxRate.TaxRateAttributes, c.TaxRateAttributes, func(p TaxRatePatch) TaxRateEvent {
		return TaxRateChanged{TaxRateRef: c.TaxRateRef, Changes: p, ChangedAt: now}
	}), nil
}
