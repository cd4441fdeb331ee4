package transport

import (
	"net/url"
	"strings"
)

// queryLanguage returns the first `language` value of a raw query string exactly as
// url.ParseQuery(rawQuery).Get("language") would (pairs with a semicolon or a bad escape are skipped, names
// and values are unescaped), without building the whole url.Values: negotiateLanguage runs on every request,
// before decodeInput parses the query once for the handlers.
//
// Warning: TestQueryLanguageAgreesWithParseQuery holds it to url.ParseQuery; change both together.
func queryLanguage(rawQuery string) string {
	for rawQuery != "" {
		var pair string
		pair, rawQuery, _ = strings.Cut(rawQuery, "&")
		if pair == "" || strings.Contains(pair, ";") {
			continue
		}
		name, value, _ := strings.Cut(pair, "=")
		name, err := url.QueryUnescape(name)
		if err != nil || name != "language" {
			continue
		}
		value, err = url.QueryUnescape(value)
		if err != nil {
			continue
		}
		return value
	}
	return ""
}
