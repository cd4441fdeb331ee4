package subscription

import "time"

// A gift given runs, for its donor, as long as its recipient holds the terms the donor paid for: from the
// redemption those terms live on the recipient's subscription (a new one starting at the redemption, or
// phases after what an existing one already holds), whose dates the donor's subscription cannot see. So
// each time terms of the gift are given to the recipient (the redemption, and every term bought with gift
// renew afterwards), the donor's subscription records where the last of them ends (GiftTermGiven), and the
// billing clock ends the gift (expired) then, not at the end of the donor's own first period.

// GiftTermGiven records, on the donor's subscription, that terms of the gift were given to the
// subscription it was redeemed into, the last of them ending at TermsEnd.
type GiftTermGiven struct {
	SubscriptionID          int64     `json:"subscription_id"`
	RecipientSubscriptionID int64     `json:"recipient_subscription_id"`
	TermsEnd                time.Time `json:"terms_end"`
	GivenAt                 time.Time `json:"given_at"`
}

func (GiftTermGiven) isSubscriptionEvent() {}

// RecordGiftTerms records on the donor's redeemed gift that the terms given to its recipient now end at
// end. Terms ending no later than those already recorded change nothing, so the record is idempotent; a
// gift not redeemed gave nothing yet.
func RecordGiftTerms(s State, end, now time.Time) ([]Event, error) {
	switch {
	case !s.Exists() || s.Type != TypeGiftDonor:
		return nil, ErrNotGift
	case !s.GiftRedeemed, !end.After(s.GiftTermsEnd):
		return nil, nil
	}
	return []Event{GiftTermGiven{SubscriptionID: s.ID, RecipientSubscriptionID: s.RedeemedInto, TermsEnd: end,
		GivenAt: now}}, nil
}

// givenTerms folds GiftTermGiven: a gift the clock ended before a later term was given (a gift renewed
// after its first terms ran out, into a subscription that still runs) runs again until that term ends.
func givenTerms(s State, e GiftTermGiven) State {
	s.GiftTermsEnd = latest(s.GiftTermsEnd, e.TermsEnd)
	if s.Status == StatusExpired && e.TermsEnd.After(s.EndedAt) {
		s.Status, s.EndedAt = StatusActive, time.Time{}
	}
	return s
}

// GiftTermsHeld is where the last term of the gift donorID that s, its recipient's subscription, holds
// ends, read from s alone: the last phase the gift gave (Phase.GiftOf), else, on the recipient's
// subscription the gift created, its first period. Not the end of terms of the recipient's own or of
// another gift. A command giving terms that runs again after they landed (its other side lost a race, or a
// crash cut it) finds them here as it would in the events it decides. Zero when s holds none any more:
// every term of the gift started, or was given before its phases named the gift.
func (s State) GiftTermsHeld(donorID int64) time.Time {
	var held time.Time
	if donorID == 0 {
		return held
	}
	if s.GiftOf == donorID && s.Cycle == 1 {
		held = s.PeriodEnd
	}
	end := s.PeriodEnd
	for _, p := range s.Phases {
		end = p.Terms.PeriodEnd(end)
		if p.GiftOf == donorID {
			held = end
		}
	}
	return held
}
