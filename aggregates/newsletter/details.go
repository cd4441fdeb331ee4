package newsletter

import (
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/emails"
)

// Details are an entry's optional fields (spec 2.9). Fields left out are "" (consent fields included, as
// the Core API stores them), never absent.
type Details struct {
	FirstName   string `json:"first_name"`
	LastName    string `json:"last_name"`
	PostalCode  string `json:"postal_code"`
	Source      string `json:"source"` // lower-cased; known values web, phone, mail, other, but any is kept
	Lists       string `json:"lists"`  // free text
	ConsentURL  string `json:"consent_url"`
	ConsentText string `json:"consent_text" text:"multiline"`
	ConsentType string `json:"consent_type"`
	ConsentIP   string `json:"consent_ip"`
}

// maxLengths are the character limits of spec 2.9, by field name as the API spells it.
var maxLengths = []struct {
	field string
	max   int
	value func(Details) string
}{
	{"first_name", 255, func(d Details) string { return d.FirstName }},
	{"last_name", 255, func(d Details) string { return d.LastName }},
	{"postal_code", 10, func(d Details) string { return d.PostalCode }},
	{"consent_url", 200, func(d Details) string { return d.ConsentURL }},
	{"consent_type", 100, func(d Details) string { return d.ConsentType }},
	{"consent_ip", 100, func(d Details) string { return d.ConsentIP }},
}

// normalised returns d as it is stored: the source lower-cased.
func (d Details) normalised() Details {
	d.Source = strings.ToLower(d.Source)
	return d
}

// Problems returns every limit d breaks, counted in characters (not bytes), in field order, then every text
// aggregates.TextProblems refuses (consent_text may hold line breaks; the other fields are single-line).
func (d Details) Problems() Problems {
	var out Problems
	for _, limit := range maxLengths {
		if utf8.RuneCountInString(limit.value(d)) > limit.max {
			out = append(out, Problem{Field: limit.field, Rule: RuleMaxLength, Max: limit.max})
		}
	}
	return append(out, aggregates.TextProblems(d)...)
}

// NormaliseEmail is the one spelling of an email that streams and read models use (emails.Normalise:
// format characters dropped, trimmed, lower-cased). Warning: a stored format (see StreamID).
func NormaliseEmail(email string) string {
	return emails.Normalise(email)
}

// EmailProblems checks a normalised email (emails.Problems): required, at most 255 characters, a plain
// address in its canonical spelling.
func EmailProblems(email string) Problems {
	return emails.Problems(email)
}

// EntryKey is what names the (site, email) entry: "<site id>:<normalised email>". Commands derive the
// entry's stream name from it with a keyed hash, so the name carries no personal data and cannot be reversed
// by guessing emails. Warning: it is a stored format (stream names derive from it); changing it orphans every
// existing entry.
func EntryKey(siteID int64, email string) string {
	return strconv.FormatInt(siteID, 10) + ":" + NormaliseEmail(email)
}
