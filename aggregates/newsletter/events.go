// Package newsletter is the newsletter aggregate (spec 2.9, 3.11, rule 26): one public entry per email per
// site, subscribed, updated and deleted without a customer account. Each (site, email) pair is one stream,
// named by commands from a keyed hash of EntryKey; the email is normalised (trimmed, lower-cased) before
// anything else, so "Ann@X.com " and "ann@x.com" are the same entry.
//
// Email and Details are personal data (aggregates.PersonalTag): once the entry is erased they read as "" and
// zero Details, and the stream may start again with a new subscription.
package newsletter

import (
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// Event is implemented by every newsletter event.
type Event interface {
	isNewsletterEvent()
}

// Subscribed records a new entry: the email joined the site's newsletter with these details. It also
// follows an Unsubscribed: a delete is hard (spec 2.9), so subscribing again starts a new entry.
type Subscribed struct {
	SiteID       int64     `json:"site_id"`
	Email        string    `json:"email" personal:"true"`
	Details      Details   `json:"details" personal:"true"`
	SubscribedAt time.Time `json:"subscribed_at"`
}

// Updated records the entry's details after an update, carried whole (not only what changed) so a reader
// needs no earlier event to know the entry.
type Updated struct {
	SiteID    int64     `json:"site_id"`
	Email     string    `json:"email" personal:"true"`
	Details   Details   `json:"details" personal:"true"`
	UpdatedAt time.Time `json:"updated_at"`
}

// Unsubscribed records that the entry was deleted.
type Unsubscribed struct {
	SiteID         int64     `json:"site_id"`
	Email          string    `json:"email" personal:"true"`
	UnsubscribedAt time.Time `json:"unsubscribed_at"`
}

func (Subscribed) isNewsletterEvent()   {}
func (Updated) isNewsletterEvent()      {}
func (Unsubscribed) isNewsletterEvent() {}

// Events names every newsletter event. Warning: the names are a stored format (see aggregates.Registry);
// renaming one orphans the events already written.
var Events = func() *aggregates.Registry {
	r := aggregates.NewRegistry()
	aggregates.MustRegister[Subscribed](r, "newsletter.subscribed")
	aggregates.MustRegister[Updated](r, "newsletter.updated")
	aggregates.MustRegister[Unsubscribed](r, "newsletter.unsubscribed")
	aggregates.MustRegister[Erased](r, "newsletter.erased")
	return r
}()
