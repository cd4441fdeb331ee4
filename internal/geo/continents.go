package geo

import (
	"golang.org/x/text/language"
)

// continents are CLDR's UN M.49 groupings (x/text knows which countries each contains) under the
// two-letter continent codes GeoIP databases and CDNs use. North America (003) takes in Central America and
// the Caribbean, as those codes do.
var continents = []struct {
	code  string
	group language.Region
}{
	{"AF", language.MustParseRegion("002")},
	{"NA", language.MustParseRegion("003")},
	{"SA", language.MustParseRegion("005")},
	{"AS", language.MustParseRegion("142")},
	{"EU", language.MustParseRegion("150")},
	{"OC", language.MustParseRegion("009")},
}

// antarctica is its own continent (AN); CLDR files it under Outlying Oceania.
var antarctica = language.MustParseRegion("AQ")

// continentOf is the continent the source gave when it is one of the codes, else the one country is on,
// else "".
func continentOf(country, given string) string {
	for _, c := range continents {
		if given == c.code {
			return given
		}
	}
	if given == "AN" {
		return given
	}
	region, err := language.ParseRegion(country)
	if err != nil {
		return ""
	}
	if region == antarctica {
		return "AN"
	}
	for _, c := range continents {
		if c.group.Contains(region) {
			return c.code
		}
	}
	return ""
}

// euMembers are the member states of the European Union since 1 February 2020 (the United Kingdom left
// then). CLDR's "EU" grouping in x/text still holds GB, so it cannot answer; a GeoIP record's own
// is_in_european_union flag wins over this list (see reported.location).
var euMembers = map[string]bool{
	"AT": true, "BE": true, "BG": true, "CY": true, "CZ": true, "DE": true, "DK": true, "EE": true, "ES": true,
	"FI": true, "FR": true, "GR": true, "HR": true, "HU": true, "IE": true, "IT": true, "LT": true, "LU": true,
	"LV": true, "MT": true, "NL": true, "PL": true, "PT": true, "RO": true, "SE": true, "SI": true, "SK": true,
}

func isEUMember(country string) bool { return euMembers[country] }
