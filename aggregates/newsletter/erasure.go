package newsletter

import "time"

// Erased records that the entry's personal data was erased (the right to erasure): the store shredded the
// entry's key before writing it, so the email and details of every earlier event read as empty from then
// on. It carries no personal data. The same email may subscribe again afterwards: the stream goes on, under
// a new key.
type Erased struct {
	SiteID   int64     `json:"site_id"`
	ErasedAt time.Time `json:"erased_at"`
}

func (Erased) isNewsletterEvent() {}

// ErasesPersonalData makes Erased an aggregates.Erasure.
func (Erased) ErasesPersonalData() {}

// Erase erases the entry, subscribed or deleted since. An entry already erased is a no-op, so an interrupted
// erasure can run again; an email the site never had is ErrNotSubscribed.
func Erase(s State, now time.Time) ([]Event, error) {
	switch {
	case s.HoldsPersonalData:
		return []Event{Erased{SiteID: s.SiteID, ErasedAt: now}}, nil
	case s.Erased:
		return nil, nil
	}
	return nil, ErrNotSubscribed
}
