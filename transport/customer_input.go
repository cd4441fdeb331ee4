package transport

import (
	"encoding/json"
	"strings"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/internal/auth"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// profileTextFields maps the profile's text inputs (spec 2.1 register, 2.2 update) to the patch field each
// sets.
var profileTextFields = []textField[customer.ProfilePatch]{
	{"first_name", func(p *customer.ProfilePatch) **string { return &p.FirstName }},
	{"last_name", func(p *customer.ProfilePatch) **string { return &p.LastName }},
	{"display_name", func(p *customer.ProfilePatch) **string { return &p.DisplayName }},
	{"phone", func(p *customer.ProfilePatch) **string { return &p.Phone }},
	{"salutation", func(p *customer.ProfilePatch) **string { return &p.Salutation }},
	{"title", func(p *customer.ProfilePatch) **string { return &p.Title }},
	{"organization", func(p *customer.ProfilePatch) **string { return &p.Organization }},
	{"old_provider_id", func(p *customer.ProfilePatch) **string { return &p.OldProviderID }},
	{"language", func(p *customer.ProfilePatch) **string { return &p.Language }},
}

// profileInput reads the profile fields a request carries into a patch: absent or null fields are left out.
// A value of the wrong JSON type is a field error, never silently dropped: a text field given an object,
// array or boolean (Params.Text), email_hardbounce given anything but a boolean (or "true"/"false"/"1"/"0"
// from a form), metadata given anything but an object.
func profileInput(params Params) (customer.ProfilePatch, fieldErrors) {
	var patch customer.ProfilePatch
	failures := fieldErrors{}
	readTextFields(params, "customer", profileTextFields, &patch, failures)
	patch.EmailHardbounce = boolField(params, "email_hardbounce", failures)
	if raw, ok := params.Raw("metadata"); ok {
		var metadata map[string]any
		if raw[0] != '{' || json.Unmarshal(raw, &metadata) != nil {
			failures["metadata"] = append(failures["metadata"], customerField("metadata", "object"))
		} else {
			patch.Metadata = metadata
		}
	}
	return patch, failures
}

// textField maps a text input to the field of a patch P it sets.
type textField[P any] struct {
	name  string
	field func(*P) **string
}

// readTextFields sets in patch each text input the request carries: absent or null inputs are left out, and
// a value that is not text by Params.Text (a boolean, an array or an object) is a field error, worded by
// the area's message "<area>.<field>.string" (every locale file of the area defines it). Register, PUT
// /customer, the addresses and the newsletter all read their text inputs here, so they refuse the same
// input alike.
func readTextFields[P any](params Params, area string, fields []textField[P], patch *P, failures fieldErrors) {
	for _, f := range fields {
		if value, given := textInput(params, area, f.name, failures); given {
			*f.field(patch) = &value
		}
	}
}

// textInput reads one text input (Params.Text): given reports a value that is neither absent nor null; a
// value that is not text is a field error ("<area>.<name>.string") and not given.
func textInput(params Params, area, name string, failures fieldErrors) (value string, given bool) {
	if !params.Has(name) {
		return "", false
	}
	value, ok := params.Text(name)
	if !ok {
		failures[name] = append(failures[name], i18n.MessageID(area+"."+name+".string"))
	}
	return value, ok
}

// boolField reads a boolean input: nil when absent or null, a field error when it is not a boolean.
func boolField(params Params, name string, failures fieldErrors) *bool {
	if !params.Has(name) {
		return nil
	}
	value, ok := boolParam(params, name)
	if !ok {
		failures[name] = append(failures[name], customerField(name, "boolean"))
		return nil
	}
	return &value
}

// boolParam reads a boolean given as JSON true/false or, from query strings and forms, as
// "true"/"false"/"1"/"0".
func boolParam(params Params, name string) (bool, bool) {
	value, ok := params.String(name)
	if !ok {
		return false, false
	}
	switch value {
	case "true", "1":
		return true, true
	case "false", "0":
		return false, true
	}
	return false, false
}

// passwordFailures adds the site's password rules (rule 5) broken by password, under field.
func passwordFailures(field, password string, strong bool, failures fieldErrors) {
	for _, code := range auth.PasswordProblems(password, strong) {
		failures[field] = append(failures[field], customerField(field, code))
	}
}

// stringParam reads a customer text field: absent or null is "" and no failure; any other non-text value is
// a field error named after the field.
func stringParam(params Params, name string, failures fieldErrors) string {
	value, _ := textInput(params, "customer", name, failures)
	return value
}

// requiredString reads a text field that must be given and not blank.
func requiredString(params Params, name string, failures fieldErrors) string {
	value := stringParam(params, name, failures)
	if _, broken := failures[name]; !broken && strings.TrimSpace(value) == "" {
		failures[name] = append(failures[name], customerField(name, "required"))
	}
	return value
}
