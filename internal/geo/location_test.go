package geo

import (
	"encoding/json"
	"strings"
	"testing"
)

func TestTheUnknownLocationIsAllNull(t *testing.T) {
	t.Parallel()
	// given the zero location, when it is written
	got, err := json.Marshal(Location{})
	if err != nil {
		t.Fatal(err)
	}
	// then every field is there, null but isEUCountry, which is false
	want := `{"countryCode":null,"iso_code":null,"city":null,"continent":null,"latitude":null,"longitude":null,` +
		`"postalCode":null,"metroCode":null,"region":null,"regionCode":null,"timezone":null,"isEUCountry":false}`
	if string(got) != want {
		t.Fatalf("got %s\nwant %s", got, want)
	}
}

func TestReportedLocationsAreChecked(t *testing.T) {
	t.Parallel()
	yes := true
	full := reported{country: "ca", city: "Montréal", continent: "NA", latitude: "45.5017", longitude: "-73.5673",
		postal: "H2X", metro: "", region: "Quebec", regionCode: "QC", timezone: "America/Toronto"}
	cases := []struct {
		name   string
		given  reported
		expect Location
	}{
		{"every field", full, Location{CountryCode: "CA", City: "Montréal", Continent: "NA", Latitude: "45.5017",
			Longitude: "-73.5673", PostalCode: "H2X", Region: "Quebec", RegionCode: "QC", Timezone: "America/Toronto"}},
		{"no country is no location", reported{city: "Paris", latitude: "48.8", longitude: "2.3"}, Location{}},
		{"an unknown country is no location", reported{country: "XX", city: "Paris"}, Location{}},
		{"continent and EU follow the country", reported{country: "FR"}, Location{CountryCode: "FR", Continent: "EU", IsEUCountry: true}},
		{"the source's EU word wins", reported{country: "GB", inEU: &yes}, Location{CountryCode: "GB", Continent: "EU", IsEUCountry: true}},
		{"Antarctica", reported{country: "AQ"}, Location{CountryCode: "AQ", Continent: "AN"}},
		{"a bogus continent is replaced", reported{country: "BR", continent: "Mars"}, Location{CountryCode: "BR", Continent: "SA"}},
		{"out of range coordinates are dropped together", reported{country: "US", latitude: "91", longitude: "10"}, Location{CountryCode: "US", Continent: "NA"}},
		{"half a coordinate is dropped", reported{country: "US", latitude: "40"}, Location{CountryCode: "US", Continent: "NA"}},
		{"text with control characters is dropped", reported{country: "US", city: "New\nYork", region: "\xff"}, Location{CountryCode: "US", Continent: "NA"}},
		{"overlong text is dropped", reported{country: "US", city: strings.Repeat("a", 129)}, Location{CountryCode: "US", Continent: "NA"}},
		{"malformed codes are dropped", reported{country: "US", metro: "5a", regionCode: "NEWY", postal: "<b>", timezone: "Europe/../x"},
			Location{CountryCode: "US", Continent: "NA"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given what a source reported, when it is checked, then only well-formed fields remain
			if got := tc.given.location(); got != tc.expect {
				t.Fatalf("got %+v\nwant %+v", got, tc.expect)
			}
		})
	}
}

func TestEveryCountryIsOnAContinent(t *testing.T) {
	t.Parallel()
	// given every listed country, when its continent is derived, then it has one
	for _, region := range countryCodes() {
		if continentOf(region.String(), "") == "" {
			t.Errorf("%s has no continent", region)
		}
	}
}
