package i18n

import (
	"embed"
	"fmt"
	"io/fs"
	"maps"
	"path"
	"slices"

	goi18n "github.com/nicksnyder/go-i18n/v2/i18n"
	"golang.org/x/text/language"
)

// MessageID names one human-readable message. The texts live in locales/<language>.json, one file per
// supported language; every file must define exactly the same ids (checked when the package loads).
type MessageID string

// Messages of the HTTP conventions (request input, site identification, generic failures). Warning: front
// ends may match on the English text, so reword a message only on purpose.
const (
	SiteIDInteger  MessageID = "site_id.integer"
	SiteIDInvalid  MessageID = "site_id.invalid"
	QueryMalformed MessageID = "request.query_malformed"
	// QuerySemicolon refuses a raw ";" in a query string, which Go's URL parser does not accept: it cannot
	// tell the old separator from a character of a value, and "malformed" alone sends a caller looking for
	// the wrong fault.
	QuerySemicolon         MessageID = "request.query_semicolon"
	JSONMalformed          MessageID = "request.json_malformed"
	JSONNotObject          MessageID = "request.json_not_object"
	FormMalformed          MessageID = "request.form_malformed"
	UnsupportedContentType MessageID = "request.unsupported_content_type"
	BodyTooLarge           MessageID = "request.body_too_large"
	BodyUnreadable         MessageID = "request.body_unreadable"
	RouteNotFound          MessageID = "route.not_found"
	MethodNotAllowed       MessageID = "route.method_not_allowed"
	InternalError          MessageID = "server.internal_error"
	// LanguageText refuses a `language` that is no text (a boolean, list or object) on every endpoint. It is
	// the customer area's wording, as register and PUT /customer store the language and said it first.
	LanguageText MessageID = "customer.language.string"
)

//go:embed locales/*.json
var localeFiles embed.FS

// localizers holds one ready localizer per supported language, each falling back to English.
var localizers = mustLoadLocalizers()

// Localize returns the message in the given language. An unsupported or empty language gets English; an id
// missing from the catalogue comes back as the id itself so the gap is visible instead of a blank message.
func Localize(lang Language, id MessageID) string {
	l, ok := localizers[lang]
	if !ok {
		l = localizers[Fallback]
	}
	text, err := l.Localize(&goi18n.LocalizeConfig{MessageID: string(id)})
	if err != nil {
		return string(id)
	}
	return text
}

// mustLoadLocalizers panics when the embedded catalogue is broken: that is a build defect the package tests
// catch, never a runtime condition.
func mustLoadLocalizers() map[Language]*goi18n.Localizer {
	bundle, err := loadBundle(localeFiles)
	if err != nil {
		panic(fmt.Sprintf("i18n: embedded message catalogue: %v", err))
	}
	out := make(map[Language]*goi18n.Localizer, len(supported))
	for _, lang := range supported {
		out[lang] = goi18n.NewLocalizer(bundle, string(lang), string(Fallback))
	}
	return out
}

// loadBundle parses, for every supported language, locales/<language>.json and every
// locales/<area>.<language>.json (one set of files per part of the API, so each area's messages live
// together), and checks that each language defines exactly the ids English defines, so a message can never
// be missing in one language only.
func loadBundle(files fs.FS) (*goi18n.Bundle, error) {
	bundle := goi18n.NewBundle(language.English)
	var reference []string
	for _, lang := range supported {
		names, err := fs.Glob(files, path.Join("locales", "*."+string(lang)+".json"))
		if err != nil {
			return nil, err
		}
		main := path.Join("locales", string(lang)+".json")
		ids := map[string]bool{}
		for _, name := range append([]string{main}, names...) {
			file, err := bundle.LoadMessageFileFS(files, name)
			if err != nil {
				return nil, err
			}
			for _, m := range file.Messages {
				if ids[m.ID] {
					return nil, fmt.Errorf("%s defines %q again for %s", name, m.ID, lang)
				}
				ids[m.ID] = true
			}
		}
		sorted := slices.Sorted(maps.Keys(ids))
		if reference == nil {
			reference = sorted
		} else if !slices.Equal(reference, sorted) {
			return nil, fmt.Errorf("locales for %s (%s and its area files) define %v, want the ids of %s: %v",
				lang, main, sorted, Fallback, reference)
		}
	}
	return bundle, nil
}
