package newsletter

import "github.com/pelcro-oss/pelcro-api/aggregates"

// The newsletter events read their payloads without reflection (aggregates.FlatPayload): they are most of a
// newsletters.v1 rebuild's log, and decoding was the largest part of its Go CPU. Each ReadFlat knows the
// JSON names of its type's fields exactly as tagged; a key it does not know (another spelling, a field
// added to the type but not here) makes it decline, and the general parser reads the payload.
//
// Warning: a field added to one of these types must be added to its ReadFlat too, or every payload that
// carries it falls back to the slow path (correct, but slow); FuzzFlatPayloadsReadAsEncodingJSON (package
// projections) checks that what ReadFlat accepts reads as encoding/json reads it.

// ReadFlat implements aggregates.FlatPayload.
func (Subscribed) ReadFlat(data []byte) (any, bool) {
	var e Subscribed
	r := aggregates.NewFlatReader(data)
	ok := r.Object(func(key string) bool {
		switch key {
		case "site_id":
			return r.Int64(&e.SiteID)
		case "email":
			return r.String(&e.Email)
		case "details":
			return e.Details.readFlat(&r)
		case "subscribed_at":
			return r.Time(&e.SubscribedAt)
		}
		return false
	}) && r.End()
	return e, ok
}

// ReadFlat implements aggregates.FlatPayload.
func (Updated) ReadFlat(data []byte) (any, bool) {
	var e Updated
	r := aggregates.NewFlatReader(data)
	ok := r.Object(func(key string) bool {
		switch key {
		case "site_id":
			return r.Int64(&e.SiteID)
		case "email":
			return r.String(&e.Email)
		case "details":
			return e.Details.readFlat(&r)
		case "updated_at":
			return r.Time(&e.UpdatedAt)
		}
		return false
	}) && r.End()
	return e, ok
}

// ReadFlat implements aggregates.FlatPayload.
func (Unsubscribed) ReadFlat(data []byte) (any, bool) {
	var e Unsubscribed
	r := aggregates.NewFlatReader(data)
	ok := r.Object(func(key string) bool {
		switch key {
		case "site_id":
			return r.Int64(&e.SiteID)
		case "email":
			return r.String(&e.Email)
		case "unsubscribed_at":
			return r.Time(&e.UnsubscribedAt)
		}
		return false
	}) && r.End()
	return e, ok
}

// ReadFlat implements aggregates.FlatPayload.
func (Erased) ReadFlat(data []byte) (any, bool) {
	var e Erased
	r := aggregates.NewFlatReader(data)
	ok := r.Object(func(key string) bool {
		switch key {
		case "site_id":
			return r.Int64(&e.SiteID)
		case "erased_at":
			return r.Time(&e.ErasedAt)
		}
		return false
	}) && r.End()
	return e, ok
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
