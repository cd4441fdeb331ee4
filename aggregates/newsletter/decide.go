package newsletter

import "time"

// Subscribe is the command of POST /newsletter.
type Subscribe struct {
	SiteID  int64
	Email   string
	Details Details
}

// Patch is what an update changes: nil fields keep their value.
type Patch struct {
	FirstName, LastName, PostalCode, Source, Lists  *string
	ConsentURL, ConsentText, ConsentType, ConsentIP *string
}

// Update is the command of PUT /newsletter/{email}.
type Update struct {
	SiteID  int64
	Email   string
	Changes Patch
}

// Unsubscribe is the command of DELETE /newsletter/{email}.
type Unsubscribe struct {
	SiteID int64
	Email  string
}

// SubscribeEntry subscribes the email unless the site already has it (rule 26). Input problems come back
// as Problems, all of them at once.
func SubscribeEntry(s State, c Subscribe, now time.Time) ([]Event, error) {
	email := NormaliseEmail(c.Email)
	details := c.Details.normalised()
	if err := append(EmailProblems(email), details.Problems()...).Err(); err != nil {
		return nil, err
	}
	if s.Subscribed {
		return nil, ErrAlreadySubscribed
	}
	return []Event{Subscribed{SiteID: c.SiteID, Email: email, Details: details, SubscribedAt: now}}, nil
}

// UpdateEntry applies the patch to a subscribed entry (rule 26: updating a non-subscriber is refused). An
// update that changes nothing is a no-op.
func UpdateEntry(s State, c Update, now time.Time) ([]Event, error) {
	details := c.Changes.ApplyTo(s.Details).normalised()
	if err := details.Problems().Err(); err != nil {
		return nil, err
	}
	if !s.Subscribed {
		return nil, ErrNotSubscribed
	}
	if details == s.Details {
		return nil, nil
	}
	return []Event{Updated{SiteID: s.SiteID, Email: s.Email, Details: details, UpdatedAt: now}}, nil
}

// UnsubscribeEntry deletes a subscribed entry; deleting one the site does not have is refused, as an update
// is.
func UnsubscribeEntry(s State, _ Unsubscribe, now time.Time) ([]Event, error) {
	if !s.Subscribed {
		return nil, ErrNotSubscribed
	}
	return []Event{Unsubscribed{SiteID: s.SiteID, Email: s.Email, UnsubscribedAt: now}}, nil
}

// ApplyTo returns d with every given field of p (a create starts from the zero Details).
func (p Patch) ApplyTo(d Details) Details {
	for _, f := range []struct {
		from *string
		to   *string
	}{
		{p.FirstName, &d.FirstName}, {p.LastName, &d.LastName}, {p.PostalCode, &d.PostalCode},
		{p.Source, &d.Source}, {p.Lists, &d.Lists}, {p.ConsentURL, &d.ConsentURL},
		{p.ConsentText, &d.ConsentText}, {p.ConsentType, &d.ConsentType}, {p.ConsentIP, &d.ConsentIP},
	} {
		if f.from != nil {
			*f.to = *f.from
		}
	}
	return d
}
