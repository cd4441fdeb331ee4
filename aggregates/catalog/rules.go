package catalog

import (
	"fmt"
	"net/url"
	"reflect"
	"strings"
	"time"
	"unicode"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// checker collects the broken rules of one entity. Its methods are the value rules of the catalog, each
// taken from the Open API spec (section 3 resources, section 4 business rules).
type checker struct {
	problems Problems
}

// textsChecked starts the checks of an entity with the rule every text of every aggregate follows
// (aggregates.TextProblems: valid UTF-8, no control characters; descriptions may hold line breaks) applied
// to every text of its attributes, and the Document rule to every Document field of them, so a field added
// to an attributes struct is covered without more code. Ids and tax rates' country and state have stricter
// formats of their own.
func textsChecked(attributes any) checker {
	var c checker
	for _, p := range aggregates.TextProblems(attributes) {
		c.add(p.Field, "must be text without control characters or invalid UTF-8, found %s", p.Detail)
	}
	v := reflect.ValueOf(attributes)
	for i := range v.NumField() {
		if document, ok := v.Field(i).Interface().(Document); ok {
			name, _, _ := strings.Cut(v.Type().Field(i).Tag.Get("json"), ",")
			c.document(name, document)
		}
	}
	return c
}

func (c *checker) add(field, format string, args ...any) {
	c.problems = append(c.problems, Problem{Field: field, Message: fmt.Sprintf(format, args...)})
}

// within adds problems found by a nested entity's own checks under prefix.
func (c *checker) within(prefix string, problems Problems) {
	c.problems = append(c.problems, problems.within(prefix)...)
}

// children checks every child entity (plans of a product, SKUs of an e-commerce product) under field[i] and
// reports a child id repeated within its parent.
func children[T interface {
	childID() int64
	Problems() Problems
}](c *checker, field, noun string, items []T) {
	seen := map[int64]bool{}
	for i, item := range items {
		prefix := fmt.Sprintf("%s[%d]", field, i)
		if seen[item.childID()] {
			c.add(prefix+".id", "repeats %s id %d", noun, item.childID())
		}
		seen[item.childID()] = true
		c.within(prefix, item.Problems())
	}
}

func (c *checker) positiveID(field string, id int64) {
	if id <= 0 {
		c.add(field, "is required and must be a positive integer")
	}
}

func (c *checker) required(field, value string) {
	if strings.TrimSpace(value) == "" {
		c.add(field, "is required")
	}
}

func (c *checker) length(field, value string, minimum, maximum int) {
	if n := len([]rune(value)); n < minimum || n > maximum {
		c.add(field, "must be %d to %d characters long, got %d", minimum, maximum, n)
	}
}

func (c *checker) notNegative(field string, value int64) {
	if value < 0 {
		c.add(field, "must not be negative, got %d", value)
	}
}

// percentage accepts 0 < value ≤ 100, or 0 ≤ value ≤ 100 when zeroAllowed. Written so NaN fails too.
func (c *checker) percentage(field string, value float64, zeroAllowed bool) {
	lowOK := value > 0 || (zeroAllowed && value == 0)
	if !lowOK || !(value <= 100) {
		bound := "above 0"
		if zeroAllowed {
			bound = "at least 0"
		}
		c.add(field, "must be a percentage %s and at most 100, got %v", bound, value)
	}
}

func (c *checker) oneOf(field, value string, allowed ...string) {
	for _, a := range allowed {
		if value == a {
			return
		}
	}
	c.add(field, "must be one of %s, got %q", strings.Join(allowed, ", "), value)
}

// currency: Plan.currency is "three letters, lowercase" (spec 3.3); the other amounts follow it.
func (c *checker) currency(field, value string) {
	if len(value) != 3 || strings.ToLower(value) != value || !isLetters(value) {
		c.add(field, "must be a three-letter lowercase currency code such as usd, got %q", value)
	}
}

// country: countries are ISO 3166-1 alpha-2 codes (spec 3.3 "countries (ISO alpha-2 array)").
func (c *checker) country(field, value string) {
	if len(value) != 2 || strings.ToUpper(value) != value || !isLetters(value) {
		c.add(field, "must be a two-letter uppercase ISO country code such as CA, got %q", value)
	}
}

func (c *checker) countries(field string, values []string) {
	eachUnique(c, field, values, c.country)
}

// locale: a full locale such as en_US (spec 3.2 default_locale, 2.3 geo).
func (c *checker) locale(field, value string) {
	language, region, full := strings.Cut(value, "_")
	if len(language) != 2 || !isLetters(language) || strings.ToLower(language) != language ||
		(full && (len(region) != 2 || !isLetters(region) || strings.ToUpper(region) != region)) {
		c.add(field, "must be a locale such as en_US, got %q", value)
	}
}

// timestamp accepts an empty value or an RFC 3339 time such as 2026-12-31T23:59:59Z.
func (c *checker) timestamp(field, value string) {
	if value == "" {
		return
	}
	if _, err := time.Parse(time.RFC3339, value); err != nil {
		c.add(field, "must be an RFC 3339 time such as 2026-12-31T23:59:59Z, got %q", value)
	}
}

// link accepts an empty value or an absolute http(s) URL (Site.link is used in emails).
func (c *checker) link(field, value string) {
	if value == "" {
		return
	}
	u, err := url.Parse(value)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		c.add(field, "must be an absolute http or https URL, got %q", value)
	}
}

// httpsBaseURL accepts an empty value or an https URL naming a host, without credentials, query or
// fragment: the base an identity provider's issuer and key URLs are built on.
func (c *checker) httpsBaseURL(field, value string) {
	if value == "" {
		return
	}
	u, err := url.Parse(value)
	if err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" ||
		strings.HasSuffix(value, "?") || strings.HasSuffix(value, "#") {
		c.add(field, "must be an https URL such as https://example.auth0.com, got %q", value)
	}
}

// token accepts an empty value or one without white space (an application or client id).
func (c *checker) token(field, value string) {
	if strings.ContainsFunc(value, unicode.IsSpace) {
		c.add(field, "must not contain white space, got %q", value)
	}
}

// eachUnique runs check on every element of values (under field[i]) and reports repeated elements.
func eachUnique[T comparable](c *checker, field string, values []T, check func(field string, value T)) {
	seen := make(map[T]bool, len(values))
	for i, v := range values {
		item := fmt.Sprintf("%s[%d]", field, i)
		if seen[v] {
			c.add(item, "repeats %#v", v)
		}
		seen[v] = true
		check(item, v)
	}
}

// uniqueIDs checks a list of ids: each positive and given once.
func (c *checker) uniqueIDs(field string, ids []int64) {
	eachUnique(c, field, ids, c.positiveID)
}

func isLetter(r rune) bool { return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') }
func isDigit(r rune) bool  { return r >= '0' && r <= '9' }

func isLetters(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool { return !isLetter(r) })
}
