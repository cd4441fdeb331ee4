package newsletter

// State is one (site, email) entry as its events describe it. The zero value means "never subscribed";
// after an Unsubscribed, Subscribed is false again but the stream goes on.
type State struct {
	Subscribed bool
	// HoldsPersonalData says the stream holds personal data not erased yet: a subscription, deleted or not.
	HoldsPersonalData bool
	// Erased says the last thing that happened to the entry was an erasure.
	Erased  bool
	SiteID  int64
	Email   string
	Details Details
}

// Evolve folds one event into the state. It holds no rules: events are facts.
func Evolve(s State, e Event) State {
	switch e := e.(type) {
	case Subscribed:
		return State{Subscribed: true, HoldsPersonalData: true, SiteID: e.SiteID, Email: e.Email, Details: e.Details}
	case Updated:
		s.Details = e.Details
	case Unsubscribed:
		return State{HoldsPersonalData: true, SiteID: e.SiteID, Email: e.Email}
	case Erased:
		return State{Erased: true, SiteID: e.SiteID}
	}
	return s
}
