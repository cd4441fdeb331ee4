package transport

import (
	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
)

// newsletterFields maps the optional input names of spec 2.9 to the patch field each sets.
var newsletterFields = []textField[newsletter.Patch]{
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

// newsletterPatch reads the optional fields the request carries: absent or null ones are left out (on
// create they become "", on update they keep their value); a value that is not text (Params.Text: a
// boolean, an array or an object) is a field error, as on register and the addresses (readTextFields).
func newsletterPatch(params Params) (newsletter.Patch, fieldErrors) {
	var patch newsletter.Patch
	failures := fieldErrors{}
	readTextFields(params, "newsletter", newsletterFields, &patch, failures)
	return patch, failures
}
