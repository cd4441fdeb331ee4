package customer

import "strings"

// countries are the 249 officially assigned ISO 3166-1 alpha-2 codes (spec 2.8: an address's country).
// Reserved, withdrawn and user-assigned codes (UK, AN, XK, …) are not countries here. Warning: removing a
// code makes stored addresses of that country impossible to update without changing the country.
var countries = set(`
AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ
CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO
FR GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE
JM JO JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO
MP MQ MR MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW
PY QA RE RO RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM
TN TO TR TT TV TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW`)

// statesByCountry are the state codes of the countries whose addresses need one (spec 2.8: US, CA and AU):
// US states, DC, territories and military post codes; Canadian provinces and territories; Australian states
// and territories (ISO 3166-2 subdivision codes without the country prefix, so two or three letters).
var statesByCountry = map[string]map[string]bool{
	"US": set(`AL AK AZ AR CA CO CT DE FL GA HI ID IL IN IA KS KY LA ME MD MA MI MN MS MO MT NE NV NH NJ NM NY NC
ND OH OK OR PA RI SC SD TN TX UT VT VA WA WV WI WY DC AS GU MP PR VI UM AA AE AP`),
	"CA": set(`AB BC MB NB NL NS NT NU ON PE QC SK YT`),
	"AU": set(`ACT NSW NT QLD SA TAS VIC WA`),
}

// IsCountry says whether code is an ISO 3166-1 alpha-2 country code, in upper case.
func IsCountry(code string) bool { return countries[code] }

func set(words string) map[string]bool {
	out := map[string]bool{}
	for _, w := range strings.Fields(words) {
		out[w] = true
	}
	return out
}
