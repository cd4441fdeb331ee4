package catalog

import (
	"fmt"
	"time"
)

// SegmentAttributes are a segment's editable fields: its display name and the rules a customer must meet
// (every one of them, see InSegment).
type SegmentAttributes struct {
	Name  string        `json:"name"`
	Rules []SegmentRule `json:"rules"`
}

// SegmentPatch holds the changed segment fields; nil means unchanged. A changed rule list is carried whole.
type SegmentPatch struct {
	Name  *string        `json:"name,omitempty"`
	Rules *[]SegmentRule `json:"rules,omitempty"`
}

// Segment is the desired state of a customer segment of a site: a named group of customers that plans,
// coupons and SKUs may be restricted to (their segment_ids). The payload of DefineSegment and ChangeSegment.
type Segment struct {
	ID     int64 `json:"id"`
	SiteID int64 `json:"site_id"`
	SegmentAttributes
}

// Problems lists the segment's broken value rules. That a plan_id rule names a plan of the segment's site is
// a rule across entities, checked by Catalog.Problems.
func (s Segment) Problems() Problems {
	c := textsChecked(s.SegmentAttributes)
	c.positiveID("id", s.ID)
	c.positiveID("site_id", s.SiteID)
	c.required("name", s.Name)
	if len(s.Rules) == 0 {
		c.add("rules", "must list at least one rule; a plan, coupon or SKU for everybody lists no segment_ids")
	}
	for i, rule := range s.Rules {
		c.within(fmt.Sprintf("rules[%d]", i), rule.Problems())
	}
	return c.problems
}

// SegmentEvent is an event of a segment stream.
type SegmentEvent interface {
	Event
	isSegmentEvent()
}

// SegmentDefined records a new segment of a site.
type SegmentDefined struct {
	SegmentID int64 `json:"segment_id"`
	SiteID    int64 `json:"site_id"`
	SegmentAttributes
	DefinedAt time.Time `json:"defined_at"`
}

// SegmentChanged records the segment fields that changed.
type SegmentChanged struct {
	SegmentID int64        `json:"segment_id"`
	SiteID    int64        `json:"site_id"`
	Changes   SegmentPatch `json:"changes"`
	ChangedAt time.Time    `json:"changed_at"`
}

func (SegmentDefined) isSegmentEvent() {}
func (SegmentChanged) isSegmentEvent() {}

// Subject tells importers which segment was created.
func (e SegmentDefined) Subject() Subject { return created(KindSegment, e.SegmentID) }

// Subject tells importers which segment changed.
func (e SegmentChanged) Subject() Subject { return changed(KindSegment, e.SegmentID) }

// SegmentState is a segment as its stream tells it; the zero value is a segment never defined.
type SegmentState struct {
	Defined bool
	Segment Segment
}

// EvolveSegment folds one event into the state.
func EvolveSegment(s SegmentState, e SegmentEvent) SegmentState {
	switch e := e.(type) {
	case SegmentDefined:
		s = SegmentState{Defined: true, Segment: Segment{ID: e.SegmentID, SiteID: e.SiteID, SegmentAttributes: e.SegmentAttributes}}
	case SegmentChanged:
		s.Segment.SegmentAttributes = applyPatch(s.Segment.SegmentAttributes, e.Changes)
	}
	return s
}

// DefineSegment creates the segment.
func DefineSegment(s SegmentState, c Segment, now time.Time) ([]SegmentEvent, error) {
	if err := guardDefine(s.Defined, c.Problems()); err != nil {
		return nil, err
	}
	return []SegmentEvent{SegmentDefined{SegmentID: c.ID, SiteID: c.SiteID, SegmentAttributes: c.SegmentAttributes,
		DefinedAt: now}}, nil
}

// ChangeSegment brings the segment to c: one SegmentChanged with the differing fields, or no event. A
// segment never moves to another site (ErrOwnerChanged): the items restricted to it belong to its site.
func ChangeSegment(s SegmentState, c Segment, now time.Time) ([]SegmentEvent, error) {
	if err := guardChange(s.Defined, c.SiteID == s.Segment.SiteID, c.Problems()); err != nil {
		return nil, err
	}
	return changeEvents(s.Segment.SegmentAttributes, c.SegmentAttributes, func(p SegmentPatch) SegmentEvent {
		return SegmentChanged{SegmentID: c.ID, SiteID: c.SiteID, Changes: p, ChangedAt: now}
	}), nil
}
