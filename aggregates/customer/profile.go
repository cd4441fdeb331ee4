package customer

import (
	"encoding/json"
	"maps"
	"regexp"
	"strings"
	"unicode/utf8"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/emails"
)

// maxText is the character limit of every free-text field (the Core API's string columns).
const maxText = 255

// Languages are the customer languages the API supports (spec 1.4); anything else is stored as DefaultLanguage.
var Languages = []string{"en", "fr", "it", "ko", "es", "de"}

// DefaultLanguage is the language an unsupported or missing one falls back to (spec 1.4).
const DefaultLanguage = "en"

// usernamePattern is rule 4: only letters, digits, "-" and "_".
var usernamePattern = regexp.MustCompile(`^[A-Za-z0-9_-]+$`)

// NormaliseEmail is the one spelling of an email that events, reservations and read models use
// (emails.Normalise: format characters dropped, trimmed, lower-cased). Warning: a stored format.
func NormaliseEmail(email string) string {
	return emails.Normalise(email)
}

// EmailProblems checks a normalised email (emails.Problems): required, at most 255 characters, a plain
// address in its canonical spelling.
func EmailProblems(email string) Problems {
	return emails.Problems(email)
}

// NormaliseUsername returns the form under which a username is unique per account (rule 4): trimmed and
// lower-cased, so "Ann" and "ann" cannot belong to two customers. Events keep the display form.
func NormaliseUsername(username string) string {
	return strings.ToLower(strings.TrimSpace(username))
}

// UsernameProblems checks a trimmed username in its display form: "" (no username) or letters, digits, "-"
// and "_" only (rule 4), at most 255 characters.
func UsernameProblems(username string) Problems {
	switch {
	case username == "":
		return nil
	case utf8.RuneCountInString(username) > maxText:
		return Problems{{Field: "username", Rule: RuleMaxLength, Max: maxText}}
	case !usernamePattern.MatchString(username):
		return Problems{{Field: "username", Rule: RuleUsername}}
	}
	return nil
}

// NormaliseLanguage returns the supported language a requested one names ("FR", "fr-CA" and "fr_CA" give
// "fr"), or DefaultLanguage.
func NormaliseLanguage(language string) string {
	language = strings.ToLower(strings.TrimSpace(language))
	if i := strings.IndexAny(language, "-_"); i >= 0 {
		language = language[:i]
	}
	for _, supported := range Languages {
		if language == supported {
			return supported
		}
	}
	return DefaultLanguage
}

// profileTexts are the profile's free-text fields by the name the API gives them, for trimming and limits.
func profileTexts(p *Profile) []struct {
	field string
	value *string
} {
	return []struct {
		field string
		value *string
	}{
		{"first_name", &p.FirstName}, {"last_name", &p.LastName}, {"display_name", &p.DisplayName},
		{"salutation", &p.Salutation}, {"title", &p.Title}, {"organization", &p.Organization},
		{"old_provider_id", &p.OldProviderID},
	}
}

// NormaliseProfile returns p as it is stored: texts trimmed, the phone in E.164 or digits only
// (NormalisePhone), a supported language,
// and metadata without nil values (nil when empty, as a stored event reloads it). Check the result with
// Problems.
func NormaliseProfile(p Profile) Profile {
	for _, text := range profileTexts(&p) {
		*text.value = strings.TrimSpace(*text.value)
	}
	p.Phone = NormalisePhone(p.Phone)
	p.Language = NormaliseLanguage(p.Language)
	p.Metadata = maps.Clone(p.Metadata)
	maps.DeleteFunc(p.Metadata, func(_ string, v any) bool { return v == nil })
	if len(p.Metadata) == 0 {
		p.Metadata = nil
	}
	return p
}

// Problems returns every rule a normalised profile breaks: texts of at most 255 characters, a phone of 5 to
// 20 digits when given (the Core API's rule, which the Open API shares), metadata within its limits, then
// every text (metadata keys and values at any depth included) that aggregates.TextProblems refuses.
func (p Profile) Problems() Problems {
	var out Problems
	for _, text := range profileTexts(&p) {
		if utf8.RuneCountInString(*text.value) > maxText {
			out = append(out, Problem{Field: text.field, Rule: RuleMaxLength, Max: maxText})
		}
	}
	if problem, ok := phoneProblem(p.Phone); ok {
		out = append(out, problem)
	} else if digits := len(strings.TrimPrefix(p.Phone, "+")); digits > 0 && (digits < 5 || digits > 20) {
		out = append(out, Problem{Field: "phone", Rule: RulePhone})
	}
	if own := publisherMetadata(p.Metadata); len(own) > MaxMetadataKeys || metadataBytes(own) > MaxMetadataBytes {
		out = append(out, Problem{Field: "metadata", Rule: RuleMetadataSize})
	}
	return append(out, aggregates.TextProblems(p)...)
}

// Metadata limits. Every profile change stores the whole profile in an event, and every command reloads the
// customer's stream: unbounded metadata would let one customer grow the log quadratically (Stripe keeps
// metadata to 50 keys for the same reason).
const (
	MaxMetadataKeys  = 50
	MaxMetadataBytes = 16 << 10
)

// IdentityMetadataPrefix starts the metadata keys the API itself writes at an identity provider's sign-in
// ("idp_google"): one small entry per provider, outside the publisher's limits so a customer whose metadata
// is full can still sign in with a provider.
const IdentityMetadataPrefix = "idp_"

// publisherMetadata is the metadata without the API's own identity entries.
func publisherMetadata(m map[string]any) map[string]any {
	own := make(map[string]any, len(m))
	for k, v := range m {
		if !strings.HasPrefix(k, IdentityMetadataPrefix) {
			own[k] = v
		}
	}
	return own
}

// metadataBytes is the size of the metadata as stored (JSON).
func metadataBytes(m map[string]any) int {
	if len(m) == 0 {
		return 0
	}
	encoded, err := json.Marshal(m)
	if err != nil {
		return MaxMetadataBytes + 1 // not storable as JSON: refuse it
	}
	return len(encoded)
}

// ProfilePatch is what a profile update changes (spec #11): nil fields keep their value, "" empties one.
type ProfilePatch struct {
	FirstName, LastName, DisplayName, Phone, Salutation *string
	Title, Organization, OldProviderID, Language        *string
	EmailHardbounce                                     *bool
	// Metadata is merged into the current metadata: each key is set to its value, and a key whose value is
	// nil (JSON null) is removed (spec #11). Keys left out keep their value.
	Metadata map[string]any
}

// ApplyTo returns profile with every given field of p. The result is not yet normalised.
func (p ProfilePatch) ApplyTo(profile Profile) Profile {
	texts := []struct {
		from *string
		to   *string
	}{
		{p.FirstName, &profile.FirstName}, {p.LastName, &profile.LastName}, {p.DisplayName, &profile.DisplayName},
		{p.Phone, &profile.Phone}, {p.Salutation, &profile.Salutation}, {p.Title, &profile.Title},
		{p.Organization, &profile.Organization}, {p.OldProviderID, &profile.OldProviderID},
		{p.Language, &profile.Language},
	}
	for _, f := range texts {
		if f.from != nil {
			*f.to = *f.from
		}
	}
	if p.EmailHardbounce != nil {
		profile.EmailHardbounce = *p.EmailHardbounce
	}
	if len(p.Metadata) > 0 {
		merged := maps.Clone(profile.Metadata)
		if merged == nil {
			merged = map[string]any{}
		}
		maps.Copy(merged, p.Metadata) // nil values are dropped by NormaliseProfile
		profile.Metadata = merged
	}
	return profile
}
