package transport

import (
	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
)

// newsletterFields maps the optional input names of spec 2.9 to the patch field each sets.
var newsletterFields = []struct {
	name  string
	field func(*newsletter.Patch) **string
}{
	{"first_name", func(p *newsletter.Patch) **string { return &p.FirstName }},
	{"last_name", func(p *newsletter.Patch) **string { return &p.LastName }},
	{"postal_code", func(p *newsletter.Patch) **string { return &p.PostalCode }},
	{"source", func(p *newsletter.Patch) **string { return &p.Source }},
	{"lists", func(p *newsletter.Patch) **string { return &p.Lists }},
	{"consent_url", func(p *newsletter.Patch) **string { return &p.ConsentURL }},
	{"consent_text", func(p *newsletter.Patch) **string { return &p.ConsentText }},
	{"consent_type", func(p *newsletter.Patch) **string { return &p.ConsentType }},
	{"consent_ip", func(p *newsletter.Patch) **string { return &p.ConsentIP }},
}

// newsletterPatch reads the optional fields the request carries; absent, null or non-scalar values are left
// out (on create they become "", on update they keep their value).
func newsletterPatch(params Params) newsletter.Patch {
	var patch newsletter.Patch
	for _, f := range newsletterFields {
		if value, ok := params.String(f.name); ok {
			*f.field(&patch) = &value
		}
	}
	return patch
}
