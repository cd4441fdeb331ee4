package transport

import (
	"encoding/json"
	"strings"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/internal/auth"
)

// profileTextFields maps the profile's text inputs (spec 2.1 register, 2.2 update) to the patch field each
// sets.
var profileTextFields = []struct {
	name  string
	field func(*customer.ProfilePatch) **string
}{
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
// A value of the wrong JSON type is a field error, never silently dropped: a text field given an object or
// array, email_hardbounce given anything but a boolean (or "true"/"false"/"1"/"0" from a form), metadata
// given anything but an object.
func profileInput(params Params) (customer.ProfilePatch, fieldErrors) {
	var patch customer.ProfilePatch
	failures := fieldErrors{}
	for _, f := range profileTextFields {
		if !params.Has(f.name) {
			continue
		}
		value, ok := params.String(f.name)
		if !ok {
			failures[f.name] = append(failures[f.name], customerField(f.name, "string"))
			continue
		}
		*f.field(&patch) = &value
	}
	if params.Has("email_hardbounce") {
		if value, ok := boolParam(params, "email_hardbounce"); ok {
			patch.EmailHardbounce = &value
		} else {
			failures["email_hardbounce"] = append(failures["email_hardbounce"], customerField("email_hardbounce", "boolean"))
		}
	}
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

// stringParam reads a text field: absent or null is "" and no failure; any other non-text value is a field
// error named after the field.
func stringParam(params Params, name string, failures fieldErrors) string {
	if !params.Has(name) {
		return ""
	}
	value, ok := params.String(name)
	if !ok {
		failures[name] = append(failures[name], customerField(name, "string"))
	}
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
