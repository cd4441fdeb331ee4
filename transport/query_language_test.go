package transport

import (
	"net/url"
	"testing"
)

func TestQueryLanguageAgreesWithParseQuery(t *testing.T) {
	t.Parallel()
	for _, rawQuery := range []string{
		"",
		"language=fr",
		"site_id=1&language=de&email=a%40b.example",
		"language=fr&language=de",
		"lang%75age=it",
		"language=fr%5FCA",
		"language=en+US",
		"language",
		"language=",
		"&&language=ko&",
		"language=fr;x=1&language=de",
		"language=%zz&language=es",
		"lang%zzuage=fr&language=ja",
		"xlanguage=fr&languagex=de",
		"site_id=1",
	} {
		// given a raw query string, when the language is looked up
		got := queryLanguage(rawQuery)
		// then it is what the full parse finds
		parsed, _ := url.ParseQuery(rawQuery)
		if want := parsed.Get("language"); got != want {
			t.Errorf("queryLanguage(%q) = %q, url.ParseQuery finds %q", rawQuery, got, want)
		}
	}
}

func FuzzQueryLanguage(f *testing.F) {
	f.Add("site_id=1&language=de")
	f.Add("lang%75age=fr;x&language=%41")
	f.Fuzz(func(t *testing.T, rawQuery string) {
		parsed, _ := url.ParseQuery(rawQuery)
		if got, want := queryLanguage(rawQuery), parsed.Get("language"); got != want {
			t.Fatalf("queryLanguage(%q) = %q, url.ParseQuery finds %q", rawQuery, got, want)
		}
	})
}
