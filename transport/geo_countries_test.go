package transport

import (
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

func TestCountryListAnswers(t *testing.T) {
	t.Parallel()
	checker := documentChecker(t)
	cases := []struct {
		geoCase
		site                 int64
		wantSelected         string
		wantState, stateName string // one state of the selected country, named in the answer's language
		wantGermany          string // the name of DE in the answer's language
		wantField            string // for a 400, the field named
		wantMessage          string // for a 404, the message
	}{
		{geoCase: geoCase{name: "caller's country, default locale", target: "/geo/country", remote: "198.51.100.7:4000",
			wantStatus: 200, wantCache: "private, max-age=300"}, site: englishSite,
			wantSelected: "CA", wantState: "QC", stateName: "Quebec", wantGermany: "Germany"},
		{geoCase: geoCase{name: "caller's country from a trusted CDN", target: "/geo/country?locale=de", remote: "10.0.0.2:4000",
			cfCountry: "FR", wantStatus: 200, wantCache: "private, max-age=300"}, site: englishSite,
			wantSelected: "FR", wantState: "75", stateName: "Paris", wantGermany: "Deutschland"},
		{geoCase: geoCase{name: "unknown caller: the site's country", target: "/geo/country?locale=fr_CA", remote: "192.0.2.1:4000",
			wantStatus: 200, wantCache: "private, max-age=300"}, site: englishSite,
			wantSelected: "US", wantState: "NY", stateName: "New York", wantGermany: "Allemagne"},
		{geoCase: geoCase{name: "unknown caller of a Canadian site", target: "/geo/country", remote: "192.0.2.1:4000",
			wantStatus: 200, wantCache: "private, max-age=300"}, site: frenchSite,
			wantSelected: "CA", wantState: "QC", stateName: "Quebec", wantGermany: "Germany"},
		{geoCase: geoCase{name: "unknown caller of a Brazilian site, Korean names", target: "/geo/country?locale=ko", remote: "192.0.2.1:4000",
			wantStatus: 200, wantCache: "private, max-age=300"}, site: portugueseSite,
			wantSelected: "BR", wantState: "SP", stateName: "상파울루 주", wantGermany: "독일"},
		{geoCase: geoCase{name: "country in the path, lower case", target: "/geo/country/ca?locale=it", remote: "2001:db8::7",
			wantStatus: 200, wantCache: "max-age=300"}, site: englishSite,
			wantSelected: "CA", wantState: "BC", stateName: "Columbia Britannica", wantGermany: "Germania"},
		{geoCase: geoCase{name: "country in the path, French names", target: "/geo/country/CA?locale=fr", remote: "192.0.2.1:4000",
			wantStatus: 200, wantCache: "max-age=300"}, site: englishSite,
			wantSelected: "CA", wantState: "BC", stateName: "Colombie-Britannique", wantGermany: "Allemagne"},
		{geoCase: geoCase{name: "country in the path, German names", target: "/geo/country/CH?locale=de_DE", remote: "192.0.2.1:4000",
			wantStatus: 200, wantCache: "max-age=300"}, site: englishSite,
			wantSelected: "CH", wantState: "GE", stateName: "Genf", wantGermany: "Deutschland"},
		{geoCase: geoCase{name: "a country without states", target: "/geo/country/AQ?locale=es_MX", remote: "192.0.2.1:4000",
			wantStatus: 200, wantCache: "max-age=300"}, site: englishSite, wantSelected: "AQ", wantGermany: "Alemania"},
		{geoCase: geoCase{name: "a locale of a language without names", target: "/geo/country/CA?locale=tlh", remote: "192.0.2.1:4000",
			wantStatus: 200, wantCache: "max-age=300"}, site: englishSite,
			wantSelected: "CA", wantState: "ON", stateName: "Ontario", wantGermany: "Germany"},
		{geoCase: geoCase{name: "not a locale", target: "/geo/country?locale=12", remote: "192.0.2.1:4000", wantStatus: 400},
			site: englishSite, wantField: "locale"},
		{geoCase: geoCase{name: "not a country code: the caller's country", target: "/geo/country/CAN", remote: "198.51.100.7:4000",
			wantStatus: 200, wantCache: "private, max-age=300"}, site: englishSite,
			wantSelected: "CA", wantState: "QC", stateName: "Quebec", wantGermany: "Germany"},
		{geoCase: geoCase{name: "no such country: the caller's country", target: "/geo/country/ZZ?locale=fr", remote: "198.51.100.7:4000",
			wantStatus: 200, wantCache: "private, max-age=300"}, site: englishSite,
			wantSelected: "CA", wantState: "QC", stateName: "Québec", wantGermany: "Allemagne"},
		{geoCase: geoCase{name: "no such country, unknown caller: the site's country", target: "/geo/country/QC", remote: "192.0.2.1:4000",
			wantStatus: 200, wantCache: "private, max-age=300"}, site: frenchSite,
			wantSelected: "CA", wantState: "ON", stateName: "Ontario", wantGermany: "Germany"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a caller of a site asking for the country list
			separator := "?"
			if strings.Contains(tc.target, "?") {
				separator = "&"
			}
			tc.target += separator + fmt.Sprintf("site_id=%d", tc.site)
			// when it is answered
			body, status := tc.serve(t, checker)
			// then it is the list with the selected country's states, or the documented error
			switch {
			case status == 200:
				assertCountryList(t, body, tc.wantSelected, tc.wantState, tc.stateName, tc.wantGermany)
			case tc.wantField != "":
				var failure struct{ Errors map[string][]string }
				if err := json.Unmarshal(body, &failure); err != nil || len(failure.Errors[tc.wantField]) != 1 {
					t.Fatalf("body %s; want a validation error on %s", body, tc.wantField)
				}
			default:
				var failure errorBody
				if err := json.Unmarshal(body, &failure); err != nil || failure.Error.Message != tc.wantMessage || failure.Error.Status != status {
					t.Fatalf("body %s; want %d %q", body, status, tc.wantMessage)
				}
			}
		})
	}
}

func assertCountryList(t *testing.T, body []byte, selected, state, stateName, germany string) {
	t.Helper()
	var list struct {
		Error *bool `json:"error"`
		Data  struct {
			SelectedCountry string            `json:"selected_country"`
			Countries       map[string]string `json:"countries"`
			States          map[string]string `json:"states"`
		} `json:"data"`
	}
	if err := json.Unmarshal(body, &list); err != nil || list.Error == nil || *list.Error {
		t.Fatalf("body %s: not {error: false, data}", body)
	}
	if list.Data.SelectedCountry != selected || list.Data.Countries["DE"] != germany || len(list.Data.Countries) < 240 {
		t.Fatalf("selected %q, DE %q, %d countries; want %q, %q, all", list.Data.SelectedCountry,
			list.Data.Countries["DE"], len(list.Data.Countries), selected, germany)
	}
	if list.Data.States == nil || state == "" && len(list.Data.States) != 0 || list.Data.States[state] != stateName {
		t.Fatalf("states %v; want %s: %s", list.Data.States, state, stateName)
	}
}
