package deadline

import (
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// dueState is what a billing_deadlines row keeps of a subscription's state (its `state` column): the fields
// subscription.State.Due reads, and the fields subscription.Evolve reads to set them, nothing else. The
// projection folds the next event into the state restored from it, so those fields, and the due item, come
// out as they would from the whole state; the rest (prices, coupons, credit, the gift's recipient, which is
// personal data) stays in the log. A billing run encodes and decodes this state once or twice per renewal: a
// sixth of the whole state's bytes to encode, parse as jsonb, store and read back.
//
// The JSON keys are State's field names, as the rows written before this type held the whole State: an
// older row decodes into it as well (its other keys are ignored), so the table needs no rebuild.
//
// Warning: when Due or Evolve starts reading another field of State to decide what is due, that field must
// be added here, in dueStateOf and in state; TestDueStateFoldsAsTheWholeState fails until it is. Rows
// written before the field was added lack it: the table needs a rebuild then, to say in the upgrade notes
// (docs/subscriptions.md), as GiftTermsEnd did.
type dueState struct {
	ID            int64                  `json:"ID,omitzero"`
	Type          subscription.Type      `json:"Type,omitzero"`
	Status        subscription.Status    `json:"Status,omitzero"`
	Billing       subscription.Billing   `json:"Billing,omitzero"`
	Terms         dueTerms               `json:"Terms,omitzero"`
	Phases        []subscription.Phase   `json:"Phases,omitzero"`
	Created       time.Time              `json:"Created,omitzero"`
	PeriodStart   time.Time              `json:"PeriodStart,omitzero"`
	PeriodEnd     time.Time              `json:"PeriodEnd,omitzero"`
	Unsettled     int64                  `json:"Unsettled,omitzero"`
	Charging      bool                   `json:"Charging,omitzero"`
	NextRetryAt   time.Time              `json:"NextRetryAt,omitzero"`
	Awaiting      *subscription.Purchase `json:"Awaiting,omitzero"`
	AwaitingSince time.Time              `json:"AwaitingSince,omitzero"`
	CancelAt      time.Time              `json:"CancelAt,omitzero"`
	EndedAt       time.Time              `json:"EndedAt,omitzero"`
	GiftStart     time.Time              `json:"GiftStart,omitzero"`
	GiftPaid      bool                   `json:"GiftPaid,omitzero"`
	GiftNotified  bool                   `json:"GiftNotified,omitzero"`
	GiftRedeemed  bool                   `json:"GiftRedeemed,omitzero"`
	RedeemedAt    time.Time              `json:"RedeemedAt,omitzero"`
	GiftTermsEnd  time.Time              `json:"GiftTermsEnd,omitzero"`
	// Own is whether the subscription's own terms, held aside during a gift's term, renew (the rest of
	// them stays in the log); GiftCoupon whether the current period is a gift's from its start (a gift
	// received), which holds no own terms aside.
	Own        *subscription.OwnTerms `json:"Own,omitzero"`
	GiftCoupon bool                   `json:"GiftCoupon,omitzero"`
	// WholeStateCoupon is the coupon of a row written before dueState, which kept the whole State: read for
	// whether it was GiftCoupon, as GiftCoupon says; never written (dueStateOf leaves it nil).
	WholeStateCoupon *subscription.Coupon `json:"Coupon,omitzero"`
	// A subscription paid by invoice: when its unpaid invoice is due, and when dunning gives up on it.
	DaysUntilDue   int       `json:"DaysUntilDue,omitzero"`
	UnsettledDueAt time.Time `json:"UnsettledDueAt,omitzero"`
	OverdueUntil   time.Time `json:"OverdueUntil,omitzero"`
}

// dueTerms is what Due reads of the current terms: whether the period renews by itself.
type dueTerms struct {
	AutoRenew bool `json:"auto_renew,omitzero"`
}

// dueStateOf is what a row keeps of s.
func dueStateOf(s subscription.State) dueState {
	return dueState{ID: s.ID, Type: s.Type, Status: s.Status, Billing: s.Billing,
		Terms: dueTerms{AutoRenew: s.Terms.AutoRenew}, Phases: s.Phases, Created: s.Created,
		PeriodStart: s.PeriodStart, PeriodEnd: s.PeriodEnd, Unsettled: s.Unsettled, Charging: s.Charging,
		NextRetryAt: s.NextRetryAt, Awaiting: s.Awaiting, AwaitingSince: s.AwaitingSince, CancelAt: s.CancelAt,
		EndedAt: s.EndedAt, GiftStart: s.GiftStart, GiftPaid: s.GiftPaid, GiftNotified: s.GiftNotified,
		GiftRedeemed: s.GiftRedeemed, RedeemedAt: s.RedeemedAt, GiftTermsEnd: s.GiftTermsEnd, DaysUntilDue: s.DaysUntilDue,
		UnsettledDueAt: s.UnsettledDueAt, OverdueUntil: s.OverdueUntil, Own: dueOwn(s.Own),
		GiftCoupon: s.Coupon.IsGift()}
}

// dueOwn is what Due reads of the own terms held aside: whether they renew.
func dueOwn(own *subscription.OwnTerms) *subscription.OwnTerms {
	if own == nil {
		return nil
	}
	return &subscription.OwnTerms{Phase: subscription.Phase{Terms: subscription.Terms{AutoRenew: own.Phase.Terms.AutoRenew}}}
}

// state is the subscription state the next event is folded into: d's fields, every other field zero.
func (d dueState) state() subscription.State {
	s := subscription.State{ID: d.ID, Type: d.Type, Status: d.Status, Billing: d.Billing,
		Terms: subscription.Terms{AutoRenew: d.Terms.AutoRenew}, Phases: d.Phases, Created: d.Created,
		PeriodStart: d.PeriodStart, PeriodEnd: d.PeriodEnd, Unsettled: d.Unsettled, Charging: d.Charging,
		NextRetryAt: d.NextRetryAt, Awaiting: d.Awaiting, AwaitingSince: d.AwaitingSince, CancelAt: d.CancelAt,
		EndedAt: d.EndedAt, GiftStart: d.GiftStart, GiftPaid: d.GiftPaid, GiftNotified: d.GiftNotified,
		GiftRedeemed: d.GiftRedeemed, RedeemedAt: d.RedeemedAt, GiftTermsEnd: d.GiftTermsEnd, DaysUntilDue: d.DaysUntilDue,
		UnsettledDueAt: d.UnsettledDueAt, OverdueUntil: d.OverdueUntil, Own: d.Own}
	if d.GiftCoupon || d.WholeStateCoupon.IsGift() {
		gift := subscription.GiftCoupon
		s.Coupon = &gift
	}
	return s
}
