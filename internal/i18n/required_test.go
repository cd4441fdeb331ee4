package i18n

import (
	"encoding/json"
	"io/fs"
	"path"
	"regexp"
	"strings"
	"testing"
)

// requiredPatterns is the one wording of Required in each language, the field's name in place of %s.
var requiredPatterns = map[Language]string{
	English: "The %s field is required.",
	French:  "Le champ %s est obligatoire.",
	German:  "Das Feld %s ist erforderlich.",
	Spanish: "El campo %s es obligatorio.",
	Italian: "Il campo %s è obbligatorio.",
	Korean:  "%s 필드는 필수입니다.",
}

func TestEveryRequiredFieldIsWordedOneWayInEachLanguage(t *testing.T) {
	t.Parallel()
	for _, lang := range Supported() {
		// given every message of a required field in the language
		pattern := regexp.MustCompile("^" + strings.Replace(regexp.QuoteMeta(requiredPatterns[lang]), "%s", "(.+)", 1) + "$")
		raw, err := fs.ReadFile(localeFiles, path.Join("locales", "required."+string(lang)+".json"))
		var texts map[string]string
		if err == nil {
			err = json.Unmarshal(raw, &texts)
		}
		if err != nil || len(texts) < 20 {
			t.Fatalf("%s: %d required messages, %v", lang, len(texts), err)
		}
		for id, text := range texts {
			// then each one is the language's one wording, naming its field (but the Open API's documented literal)
			if documented := lang == English && id == "required.plan_id" && text == "Plan ID is required"; documented {
				continue
			}
			if !strings.HasPrefix(id, "required.") || !pattern.MatchString(text) {
				t.Errorf("%s %s = %q, want %q", lang, id, text, requiredPatterns[lang])
			}
		}
	}
	// and no other English message says that a field is required in words of its own
	fieldRequired := regexp.MustCompile(`^(The .+ field|This field|.+ ID) is required\.?$`)
	for _, id := range englishIDs(t) {
		if text := Localize(English, MessageID(id)); !strings.HasPrefix(id, "required.") && fieldRequired.MatchString(text) {
			t.Errorf("%s = %q: a required field's message is Required's", id, text)
		}
	}
}

func TestARequiredListElementIsWordedAsItsList(t *testing.T) {
	t.Parallel()
	for field, want := range map[string]MessageID{"plan_id": "required.plan_id",
		"invitation_emails.0": "required.invitation_emails", "items[12]": "required.items",
		"items.12.sku_id": "required.items.sku_id"} {
		if got := Required(field); got != want {
			t.Errorf("Required(%q) = %q, want %q", field, got, want)
		}
	}
}

// englishIDs is every message id of the English catalogue.
func englishIDs(t *testing.T) []string {
	t.Helper()
	names, err := fs.Glob(localeFiles, "locales/*en.json")
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, name := range names {
		raw, _ := fs.ReadFile(localeFiles, name)
		var texts map[string]string
		if err := json.Unmarshal(raw, &texts); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for id := range texts {
			ids = append(ids, id)
		}
	}
	return ids
}
