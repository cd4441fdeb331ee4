package i18n

import "regexp"

// Required is the message of a required field that is missing or blank, on every endpoint: one wording, in
// every language, Laravel's ("The email field is required.", "Das Feld Plan-ID ist erforderlich."), which
// names the field, since front ends show the messages of several fields together without their names. One
// text departs from it: English plan_id keeps the literal the Open API documents, "Plan ID is required"
// (docs/http-conventions.md, "Required fields").
//
// The texts live in locales/required.<lang>.json as "required.<field>", the field named as the reader
// calls it; an element of a list ("invitation_emails.0", "items[2]") is worded as its list, and a field of
// an element ("items.2.sku_id") as the list's field ("required.items.sku_id"): the answer's key names the
// element. Every field an endpoint requires has its six texts, which transport's tests check, and each text
// follows its language's one pattern, which this package's tests check.
func Required(field string) MessageID {
	return MessageID("required." + listIndex.ReplaceAllString(field, "$2"))
}

// listIndex is the index of a list element in a field name, at its end or before the element's field.
var listIndex = regexp.MustCompile(`(\.\d+|\[\d+\])(\.|$)`)
