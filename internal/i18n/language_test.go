package i18n

import "testing"

func TestParse(t *testing.T) {
	t.Parallel()
	cases := []struct {
		code   string
		want   Language
		wantOK bool
	}{
		{"en", English, true},
		{"fr", French, true},
		{"it", Italian, true},
		{"ko", Korean, true},
		{"es", Spanish, true},
		{"de", German, true},
		{"FR", French, true},
		{" de ", German, true},
		{"fr-CA", French, true},
		{"fr_CA", French, true},
		{"en_US", English, true},
		{"es-419", Spanish, true},
		{"pt", "", false},
		{"zz", "", false},
		{"", "", false},
		{"not a language", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.code, func(t *testing.T) {
			t.Parallel()
			// when a caller sends the code
			got, ok := Parse(tc.code)
			// then only supported languages (or their regional variants) are accepted
			if got != tc.want || ok != tc.wantOK {
				t.Fatalf("Parse(%q) = %q, %v; want %q, %v", tc.code, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestMatchAcceptLanguage(t *testing.T) {
	t.Parallel()
	cases := []struct {
		header string
		want   Language
		wantOK bool
	}{
		{"ko", Korean, true},
		{"de-CH, fr;q=0.8, en;q=0.5", German, true},
		{"pt-BR, it;q=0.7", Italian, true},
		{"en;q=0.1, es", Spanish, true},
		{"zz, fr;q=0.5", French, true},
		{"fr;q=0, de;q=0.2", German, true},
		{"pt-BR, pt;q=0.9", "", false},
		{"*", "", false},
		{"", "", false},
		{";;;,,", "", false},
	}
	for _, tc := range cases {
		t.Run(tc.header, func(t *testing.T) {
			t.Parallel()
			// when a browser sends the header
			got, ok := MatchAcceptLanguage(tc.header)
			// then the most preferred supported language wins, unparseable entries are skipped
			if got != tc.want || ok != tc.wantOK {
				t.Fatalf("MatchAcceptLanguage(%q) = %q, %v; want %q, %v", tc.header, got, ok, tc.want, tc.wantOK)
			}
		})
	}
}

func TestMatchAcceptLanguageIgnoresOversizedHeaders(t *testing.T) {
	t.Parallel()
	// given a header longer than we agree to parse, even though it starts with a supported language
	header := "fr," + string(make([]byte, maxAcceptLanguageLength))
	// when it is matched, then it is ignored as a whole
	if got, ok := MatchAcceptLanguage(header); ok {
		t.Fatalf("MatchAcceptLanguage(oversized) = %q, want no match", got)
	}
}
