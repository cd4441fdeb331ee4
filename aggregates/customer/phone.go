package customer

import (
	"regexp"
	"strings"

	"github.com/nyaruka/phonenumbers"
)

// A phone, of the profile as of an address (spec 2.1, 2.8), follows one rule: digits, written with an
// optional leading "+" and the usual separators, and stored without the separators (NormalisePhone).
// Anything else (letters, other signs, no digit at all) is refused as not numeric (RuleNumeric). The
// profile's phone must also hold 5 to 20 digits (the Core API's rule); an address's has only its
// character limit, which stored addresses with shorter phones still meet.

// phoneSeparators are what a phone may be written with besides its digits and a leading "+".
const phoneSeparators = " -.()/"

// writtenAsPhone reports whether phone, trimmed, is at least one digit with an optional leading "+" and
// phoneSeparators.
func writtenAsPhone(phone string) bool {
	body := strings.TrimPrefix(phone, "+")
	return strings.ContainsAny(body, "0123456789") && strings.Trim(body, "0123456789"+phoneSeparators) == ""
}

// storedPhone is every phone NormalisePhone stores: digits with an optional leading "+".
var storedPhone = regexp.MustCompile(`^\+?[0-9]+$`)

// phoneProblem is the phone rule on a normalised phone: a phone given must be stored as digits (nothing is
// a phone only when none was given).
func phoneProblem(phone string) (Problem, bool) {
	if phone == "" || storedPhone.MatchString(phone) {
		return Problem{}, false
	}
	return Problem{Field: "phone", Rule: RuleNumeric}, true
}

// NormalisePhone returns a phone number as it is stored. An international number (a leading "+") is kept in
// E.164, "+" and digits only, as libphonenumber reads it ("+44 (0)20 7946 0958" is +442079460958: the
// national prefix goes); one it cannot read, or whose length no number of its country has, keeps its "+"
// and its digits. Any other number keeps only its digits (spec 2.1: the separators are stripped), since
// without a country code nothing tells which country it belongs to. Stored phones of older events, digits
// only, stay as they are. Text not written as a phone (writtenAsPhone: "abc", "n/a", "555 ext. 4") is only
// trimmed, for the phone rule to refuse (phoneProblem): stripping it would store no phone, or another one.
//
// The result is a fixed point (normalising it again changes nothing): libphonenumber reads some impossible
// numbers differently once formatted ("+84000000000" becomes +8400000000, then +840000000), so the reading
// is repeated until it settles; each reading only ever drops digits, so it settles within len(phone) steps.
func NormalisePhone(phone string) string {
	phone = strings.TrimSpace(phone)
	if phone != "" && !writtenAsPhone(phone) {
		return phone
	}
	if !strings.HasPrefix(phone, "+") {
		return onlyDigits(phone)
	}
	for range len(phone) {
		next := readInternationalPhone(phone)
		if next == phone {
			break
		}
		phone = next
	}
	return phone
}

// readInternationalPhone is one reading of a number starting with "+": E.164 when libphonenumber reads a
// number of a possible length, else "+" and the digits ("" without any).
func readInternationalPhone(phone string) string {
	if number, err := phonenumbers.Parse(phone, ""); err == nil && phonenumbers.IsPossibleNumber(number) {
		return phonenumbers.Format(number, phonenumbers.E164)
	}
	if digits := onlyDigits(phone); digits != "" {
		return "+" + digits
	}
	return ""
}

func onlyDigits(s string) string {
	return strings.Map(func(r rune) rune {
		if r >= '0' && r <= '9' {
			return r
		}
		return -1
	}, s)
}
