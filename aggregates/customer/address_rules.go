package customer

import (
	"strings"
	"unicode/utf8"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// maxPostalCode is the postal code's character limit (spec 2.8).
const maxPostalCode = 45

// addressTexts are the address's free-text fields by the name the API gives them, with their character
// limits (the country is a code, checked on its own).
func addressTexts(a *Address) []struct {
	field string
	value *string
	max   int
} {
	return []struct {
		field string
		value *string
		max   int
	}{
		{"first_name", &a.FirstName, maxText}, {"last_name", &a.LastName, maxText}, {"title", &a.Title, maxText},
		{"salutation", &a.Salutation, maxText}, {"company", &a.Company, maxText},
		{"department", &a.Department, maxText}, {"line1", &a.Line1, maxText}, {"line2", &a.Line2, maxText},
		{"city", &a.City, maxText}, {"state", &a.State, maxText}, {"postal_code", &a.PostalCode, maxPostalCode},
		{"phone", &a.Phone, maxText},
	}
}

// NormaliseAddress returns a as it is stored: texts trimmed, the type lower-cased ("" is shipping, spec
// 2.8), the country upper-cased, the state upper-cased where it is a code (US, CA, AU), and the phone as
// NormalisePhone stores it.
func NormaliseAddress(a Address) Address {
	for _, text := range addressTexts(&a) {
		*text.value = strings.TrimSpace(*text.value)
	}
	a.Type = AddressType(strings.ToLower(string(a.Type)))
	if a.Type == "" {
		a.Type = AddressShipping
	}
	a.Country = strings.ToUpper(strings.TrimSpace(a.Country))
	if statesByCountry[a.Country] != nil {
		a.State = strings.ToUpper(a.State)
	}
	a.Phone = NormalisePhone(a.Phone)
	return a
}

// AddressProblems returns every rule a normalised address breaks (spec 2.8, rule 25), grouped by rule: type
// shipping or billing; line1 and country required; character limits; an ISO 3166-1 alpha-2 country; a
// state code of the country for US, CA and AU; a phone as the profile's (phoneProblem); every text aggregates.TextProblems refuses. requirePostalCode is the account's AvaTax
// address validation: on, US and CA addresses need a postal code.
func AddressProblems(a Address, requirePostalCode bool) Problems {
	var out Problems
	if a.Type != AddressShipping && a.Type != AddressBilling {
		out = append(out, Problem{Field: "type", Rule: RuleOneOf})
	}
	for _, text := range addressTexts(&a) {
		if utf8.RuneCountInString(*text.value) > text.max {
			out = append(out, Problem{Field: text.field, Rule: RuleMaxLength, Max: text.max})
		}
	}
	if a.Line1 == "" {
		out = append(out, Problem{Field: "line1", Rule: RuleRequired})
	}
	states := statesByCountry[a.Country]
	switch {
	case states != nil && a.State == "":
		out = append(out, Problem{Field: "state", Rule: RuleRequired})
	case states != nil && !states[a.State]:
		out = append(out, Problem{Field: "state", Rule: RuleState})
	}
	if requirePostalCode && (a.Country == "US" || a.Country == "CA") && a.PostalCode == "" {
		out = append(out, Problem{Field: "postal_code", Rule: RuleRequired})
	}
	switch {
	case a.Country == "":
		out = append(out, Problem{Field: "country", Rule: RuleRequired})
	case !IsCountry(a.Country):
		out = append(out, Problem{Field: "country", Rule: RuleCountry})
	}
	if problem, ok := phoneProblem(a.Phone); ok {
		out = append(out, problem)
	}
	return append(out, aggregates.TextProblems(a)...)
}

// AddressPatch is what an address update changes (spec #47): nil fields keep their value, "" empties one.
type AddressPatch struct {
	Type, FirstName, LastName, Title, Salutation, Company, Department *string
	Line1, Line2, City, State, PostalCode, Country, Phone             *string
	IsDefault                                                         *bool
}

// ApplyTo returns a with every given field of p. The result is not yet normalised.
func (p AddressPatch) ApplyTo(a Address) Address {
	if p.Type != nil {
		a.Type = AddressType(*p.Type)
	}
	texts := []struct {
		from *string
		to   *string
	}{
		{p.FirstName, &a.FirstName}, {p.LastName, &a.LastName}, {p.Title, &a.Title}, {p.Salutation, &a.Salutation},
		{p.Company, &a.Company}, {p.Department, &a.Department}, {p.Line1, &a.Line1}, {p.Line2, &a.Line2},
		{p.City, &a.City}, {p.State, &a.State}, {p.PostalCode, &a.PostalCode}, {p.Country, &a.Country},
		{p.Phone, &a.Phone},
	}
	for _, f := range texts {
		if f.from != nil {
			*f.to = *f.from
		}
	}
	if p.IsDefault != nil {
		a.IsDefault = *p.IsDefault
	}
	return a
}
