package catalog

import (
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// MaxCouponCodeLength is the longest coupon code in characters. Warning: the coupons read model indexes codes
// (PostgreSQL's btree index rows hold at most 2,704 bytes), so a longer limit could accept a coupon its
// projection then cannot store, which stops the projection for good; 255 characters are at most 1,020 bytes.
const MaxCouponCodeLength = 255

// CouponAttributes are a coupon's editable fields.
type CouponAttributes struct {
	Code             string  `json:"code"`
	Name             string  `json:"name"`
	PercentOff       float64 `json:"percent_off"`
	AmountOff        int64   `json:"amount_off"`
	Currency         string  `json:"currency"`
	Duration         string  `json:"duration"`
	DurationInMonths int64   `json:"duration_in_months"`
	PlanIDs          []int64 `json:"plan_ids"`
	// SegmentIDs restricts the coupon to the customers of these segments of its site; empty is everybody.
	SegmentIDs []int64 `json:"segment_ids"`
}

// CouponPatch holds the changed coupon fields; nil means unchanged.
type CouponPatch struct {
	Code             *string  `json:"code,omitempty"`
	Name             *string  `json:"name,omitempty"`
	PercentOff       *float64 `json:"percent_off,omitempty"`
	AmountOff        *int64   `json:"amount_off,omitempty"`
	Currency         *string  `json:"currency,omitempty"`
	Duration         *string  `json:"duration,omitempty"`
	DurationInMonths *int64   `json:"duration_in_months,omitempty"`
	PlanIDs          *[]int64 `json:"plan_ids,omitempty"`
	SegmentIDs       *[]int64 `json:"segment_ids,omitempty"`
}

// Coupon is the desired state of a site's coupon: a percentage or a fixed amount off, once, forever or for
// a number of months, limited to PlanIDs when it lists any. The payload of DefineCoupon and ChangeCoupon.
type Coupon struct {
	ID     int64 `json:"id"`
	SiteID int64 `json:"site_id"`
	CouponAttributes
}

// Problems lists the coupon's broken value rules. That its plans exist is a rule across entities, checked
// by Catalog.Problems.
func (p Coupon) Problems() Problems {
	c := textsChecked(p.CouponAttributes)
	c.positiveID("id", p.ID)
	c.positiveID("site_id", p.SiteID)
	switch n := utf8.RuneCountInString(p.Code); {
	case strings.TrimSpace(p.Code) == "" || strings.ContainsFunc(p.Code, unicode.IsSpace):
		c.add("code", "is required and must not contain white space, got %q", p.Code)
	case n > MaxCouponCodeLength:
		c.add("code", "must be at most %d characters, got %d", MaxCouponCodeLength, n)
	}
	switch {
	case p.PercentOff != 0 && p.AmountOff != 0:
		c.add("", "must give either percent_off or amount_off, not both")
	case p.AmountOff != 0:
		if p.AmountOff < 0 {
			c.add("amount_off", "must be positive, got %d", p.AmountOff)
		}
		c.currency("currency", p.Currency)
	default:
		c.percentage("percent_off", p.PercentOff, false)
		if p.Currency != "" {
			c.add("currency", "is only for amount_off; a percentage applies to every currency")
		}
	}
	c.oneOf("duration", p.Duration, "once", "forever", "repeating")
	switch {
	case p.Duration == "repeating" && p.DurationInMonths < 1:
		c.add("duration_in_months", "must be at least 1 when duration is repeating, got %d", p.DurationInMonths)
	case p.Duration != "repeating" && p.DurationInMonths != 0:
		c.add("duration_in_months", "is only for duration: repeating")
	}
	c.uniqueIDs("segment_ids", p.SegmentIDs)
	return c.problems
}

// CouponEvent is an event of a coupon stream.
type CouponEvent interface {
	Event
	isCouponEvent()
}

// CouponDefined records a new coupon of a site.
type CouponDefined struct {
	CouponID int64 `json:"coupon_id"`
	SiteID   int64 `json:"site_id"`
	CouponAttributes
	DefinedAt time.Time `json:"defined_at"`
}

// CouponChanged records the coupon fields that changed.
type CouponChanged struct {
	CouponID  int64       `json:"coupon_id"`
	SiteID    int64       `json:"site_id"`
	Changes   CouponPatch `json:"changes"`
	ChangedAt time.Time   `json:"changed_at"`
}

func (CouponDefined) isCouponEvent() {}
func (CouponChanged) isCouponEvent() {}

// Subject tells importers which coupon was created.
func (e CouponDefined) Subject() Subject { return created(KindCoupon, e.CouponID) }

// Subject tells importers which coupon changed.
func (e CouponChanged) Subject() Subject { return changed(KindCoupon, e.CouponID) }

// CouponState is a coupon as its stream tells it; the zero value is a coupon never defined.
type CouponState struct {
	Defined bool
	Coupon  Coupon
}

// EvolveCoupon folds one event into the state.
func EvolveCoupon(s CouponState, e CouponEvent) CouponState {
	switch e := e.(type) {
	case CouponDefined:
		s = CouponState{Defined: true, Coupon: Coupon{ID: e.CouponID, SiteID: e.SiteID, CouponAttributes: e.CouponAttributes}}
	case CouponChanged:
		s.Coupon.CouponAttributes = applyPatch(s.Coupon.CouponAttributes, e.Changes)
	}
	return s
}

// DefineCoupon creates the coupon.
func DefineCoupon(s CouponState, c Coupon, now time.Time) ([]CouponEvent, error) {
	if err := guardDefine(s.Defined, c.Problems()); err != nil {
		return nil, err
	}
	return []CouponEvent{CouponDefined{CouponID: c.ID, SiteID: c.SiteID, CouponAttributes: c.CouponAttributes, DefinedAt: now}}, nil
}

// ChangeCoupon brings the coupon to c: one CouponChanged with the differing fields, or no event. A coupon
// never moves to another site (ErrOwnerChanged).
func ChangeCoupon(s CouponState, c Coupon, now time.Time) ([]CouponEvent, error) {
	if err := guardChange(s.Defined, c.SiteID == s.Coupon.SiteID, c.Problems()); err != nil {
		return nil, err
	}
	return changeEvents(s.Coupon.CouponAttributes, c.CouponAttributes, func(p CouponPatch) CouponEvent {
		return CouponChanged{CouponID: c.ID, SiteID: c.SiteID, Changes: p, ChangedAt: now}
	}), nil
}
