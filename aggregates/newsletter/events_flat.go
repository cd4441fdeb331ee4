package newsletter

import (
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// The newsletter events read their payloads without reflection (aggregates.FlatPayload): they are most of a
// newsletters.v1 rebuild's log, and decoding was the largest part of its Go CPU. Each ReadFlat knows the
// JSON names of its type's fields exactly as tagged; a key it does not know (another spelling, a field
// added to the type but not here) makes it decline, and the general parser reads the payload.
//
// Warning: a field added to one of these types must be added to its ReadFlat too, or every payload that
// carries it falls back to the slow path (correct, but slow); FuzzFlatPayloadsReadAsEncodingJSON (package
// projections) checks that what ReadFlat accepts reads as encoding/json reads it.

// ReadFlat implements aggregates.FlatPayload.
func (Subscribed) ReadFlat(r aggregates.FlatReader) (any, bool) {
	var e Subscribed
	ok := readFlatEvent(r, "subscribed_at", &e.SubscribedAt, &e.SiteID, &e.Email, &e.Details)
	return e, ok
}

// ReadFlat implements aggregates.FlatPayload.
func (Updated) ReadFlat(r aggregates.FlatReader) (any, bool) {
	var e Updated
	ok := readFlatEvent(r, "updated_at", &e.UpdatedAt, &e.SiteID, &e.Email, &e.Details)
	return e, ok
}

// ReadFlat implements aggregates.FlatPayload.
func (Unsubscribed) ReadFlat(r aggregates.FlatReader) (any, bool) {
	var e Unsubscribed
	ok := readFlatEvent(r, "unsubscribed_at", &e.UnsubscribedAt, &e.SiteID, &e.Email, nil)
	return e, ok
}

// ReadFlat implements aggregates.FlatPayload.
func (Erased) ReadFlat(r aggregates.FlatReader) (any, bool) {
	var e Erased
	ok := readFlatEvent(r, "erased_at", &e.ErasedAt, &e.SiteID, nil, nil)
	return e, ok
}

// readFlatEvent reads a newsletter event's payload: its time under timeKey, the site, and the email and
// details when the type has them (nil: a key the type does not have, declined like any unknown key).
func readFlatEvent(r aggregates.FlatReader, timeKey string, at *time.Time, siteID *int64, email *string, details *Details) bool {
	return r.Object(func(key string) bool {
		switch {
		case key == timeKey:
			return r.Time(at)
		case key == "site_id":
			return r.Int64(siteID)
		case key == "email" && email != nil:
			return r.String(email)
		case key == "details" && details != nil:
			return details.readFlat(&r)
		}
		return false
	}) && r.End()
}

// readFlat reads a details object into d (merging into what d holds, as encoding/json does).
func (d *Details) readFlat(r *aggregates.FlatReader) bool {
	return r.Object(func(key string) bool {
		switch key {
		case "first_name":
			return r.String(&d.FirstName)
		case "last_name":
			return r.String(&d.LastName)
		case "postal_code":
			return r.String(&d.PostalCode)
		case "source":
			return r.String(&d.Source)
		case "lists":
			return r.String(&d.Lists)
		case "consent_url":
			return r.String(&d.ConsentURL)
		case "consent_text":
			return r.String(&d.ConsentText)
		case "consent_type":
			return r.String(&d.ConsentType)
		case "consent_ip":
			return r.String(&d.ConsentIP)
		}
		return false
	})
}
