package catalogfile_test

import (
	"errors"
	"reflect"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/internal/catalogfile"
)

// validHead is a valid account and site that the bad files below build on; their lines are 1 to 8.
const validHead = `accounts:
  - id: 1
    name: Example Media Group
sites:
  - id: 1232
    account_id: 1
    name: Example Publication
    default_currency: usd
    default_locale: en_US
`

func TestParseReportsEveryMistakeWithItsPosition(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		file string
		want []string
	}{
		{"syntax error", "sites: [1\n", []string{
			"c.yaml:1:8: invalid YAML: sequence end token ']' not found"}},
		{"duplicate key", "accounts: []\naccounts: []\n", []string{
			`c.yaml:2:1: invalid YAML: mapping key "accounts" already defined at [1:1]`}},
		{"empty file", "# nothing here\n", []string{"c.yaml:1:1: the file holds no catalog"}},
		{"two documents", "accounts: []\n---\nsites: []\n", []string{
			"c.yaml:3:1: the file holds more than one YAML document; put the whole catalog in one"}},
		{"not a mapping", "- 1\n", []string{"c.yaml:1:1: want a mapping of field names to values, got a list"}},
		{"unknown fields, with and without a suggestion", validHead + "    colour: blue\n    defualt_locale: en_US\n", []string{
			`c.yaml:10:5: sites[0]: unknown field "colour"`,
			`c.yaml:11:5: sites[0]: unknown field "defualt_locale" (did you mean "default_locale"?)`}},
		{"wrong types are each reported, not again as missing", validHead + "    passwordless_enabled: yes please\n" +
			"products:\n  - id: ten\n    site_id: 1232\n    name: [Digital]\n", []string{
			`c.yaml:10:27: sites[0].passwordless_enabled: want true or false, got the string "yes please"`,
			`c.yaml:12:9: products[0].id: want an integer, got the string "ten"`,
			`c.yaml:14:11: products[0].name: want a string, got a list`}},
		{"a plan under a missing site, in JSON", `{"products": [{"id": 10, "site_id": 99, "name": "Digital",
  "plans": [{"id": 1, "nickname": "Monthly", "amount": 999, "currency": "USD", "interval": "month", "interval_count": 1}]}]}`,
			[]string{
				`c.yaml:1:37: products[0].site_id: names site 99, which the file does not define`,
				`c.yaml:2:73: products[0].plans[0].currency: must be a three-letter lowercase currency code such as usd, got "USD"`}},
		{"missing required fields point at their entity", validHead + "coupons:\n  - id: 77\n    site_id: 1232\n    plan_ids: [4051]\n", []string{
			`c.yaml:11:5: coupons[0].code: is required and must not contain white space, got ""`,
			`c.yaml:11:5: coupons[0].percent_off: must be a percentage above 0 and at most 100, got 0`,
			`c.yaml:11:5: coupons[0].duration: must be one of once, forever, repeating, got ""`,
			`c.yaml:13:16: coupons[0].plan_ids[0]: names plan 4051, which the file does not define`}},
		{"domains and IP ranges", validHead + `products:
  - id: 10
    site_id: 1232
    name: Campus
    plans:
      - { id: 1, nickname: Campus, type: membership, member_seat_capacity: 5, currency: usd, interval: year,
          interval_count: 1, domains: ["example.edu", "mail.*.example.edu"], ip_addresses: ["10.0.0.1/8"] }
`, []string{
			`c.yaml:16:55: products[0].plans[0].domains[1]: may hold a wildcard only as its first label, as in *.example.edu, got "mail.*.example.edu"`,
			`c.yaml:16:93: products[0].plans[0].ip_addresses[0]: has bits set after the prefix length; the range is 10.0.0.0/8, got "10.0.0.1/8"`}},
		{"duplicate ids", validHead + "  - { id: 1232, account_id: 1, name: Again, default_currency: usd, default_locale: en_US }\n", []string{
			`c.yaml:10:11: sites[1].id: repeats site 1232 (first at sites[0].id)`}},
		{"identity provider settings", validHead + "    auth0_base_url: http://example.auth0.com\n    facebook_app_id: 12 34\n", []string{
			`c.yaml:5:5: sites[0].auth0_client_id: is required when auth0_base_url is set`,
			`c.yaml:10:21: sites[0].auth0_base_url: must be an https URL such as https://example.auth0.com, got "http://example.auth0.com"`,
			`c.yaml:11:22: sites[0].facebook_app_id: must not contain white space, got "12 34"`}},
		{"free-form values JSON cannot hold exactly", validHead + "    logo: {width: 9007199254740993, ratio: .inf}\n" +
			"    design_settings: [\"a\\u0000b\"]\n", []string{
			`c.yaml:10:19: sites[0].logo.width: want an integer between -2^53 and 2^53, which JSON holds exactly, got the integer 9007199254740993`,
			`c.yaml:11:22: sites[0].design_settings: must hold texts without control characters or invalid UTF-8, found U+0000 at character 2`}},
		{"segments: unknown rule fields, broken rules and references", validHead + `segments:
  - id: 5
    site_id: 1232
    name: Students
    rules:
      - { email_domain: "*.example.edu", colour: blue }
      - { country: CA, plan_id: 4051 }
coupons:
  - { id: 77, site_id: 1232, code: STUDENT, percent_off: 20, duration: once, segment_ids: [5, 6] }
`, []string{
			`c.yaml:15:42: segments[0].rules[0]: unknown field "colour"`,
			`c.yaml:16:11: segments[0].rules[1]: must give exactly one of email_domain, country, metadata_key (with metadata_value) or plan_id`,
			`c.yaml:16:33: segments[0].rules[1].plan_id: names plan 4051, which the file does not define`,
			`c.yaml:18:95: coupons[0].segment_ids[1]: names segment 6, which the file does not define`}},
		{"anchors and aliases are refused at the first one", "accounts:\n  - &a { id: 1, name: A }\n  - *a\n", []string{
			`c.yaml:2:5: YAML anchors, aliases and tags are not supported; write the value out`}},
		{"an alias bomb is refused before anything is expanded", "a: &a [x, x]\nb: &b [*a, *a]\nc: [*b, *b]\n", []string{
			`c.yaml:1:4: YAML anchors, aliases and tags are not supported; write the value out`}},
		{"tags are refused", validHead + "products: !!seq []\n", []string{
			`c.yaml:10:11: YAML anchors, aliases and tags are not supported; write the value out`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// When a file with mistakes is parsed
			_, err := catalogfile.Parse("c.yaml", []byte(tt.file))

			// Then every mistake is reported, in file order, with its line and column
			var list catalogfile.Errors
			if !errors.As(err, &list) {
				t.Fatalf("err = %v, want catalogfile.Errors", err)
			}
			got := strings.Split(list.Error(), "\n")
			if !reflect.DeepEqual(got, tt.want) {
				t.Fatalf("errors:\n\t%s\nwant:\n\t%s", strings.Join(got, "\n\t"), strings.Join(tt.want, "\n\t"))
			}
		})
	}
}

func TestParseReadsNullAsLeftOutAndActiveAsDefaultTrue(t *testing.T) {
	t.Parallel()
	file := validHead + `products:
  - id: 10
    site_id: 1232
    name: Digital
    description: null
    plans:
      - { id: 1, nickname: Monthly, amount: 999, currency: usd, interval: month, interval_count: 1 }
`
	c, err := catalogfile.Parse("c.yaml", []byte(file))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	if plan := c.Products[0].Plans[0]; !plan.IsActive() || plan.Active != nil {
		t.Fatalf("plan without active = %+v, want active by default", plan)
	}
}

func TestParseKeepsFreeFormValuesAndDefaults(t *testing.T) {
	t.Parallel()
	// given a product and plans that give free-form values in YAML and JSON syntax, and leave out, give as
	// null or set the fields whose default is true
	file := validHead + `    logo: {url: "https://example.com/logo.png", sizes: [16, 32.5], dark: true, alt: null}
    paywalls: []
products:
  - id: 10
    site_id: 1232
    name: Digital
    package_dimensions:
      height: 2
      width: 10
    plans:
      - { id: 1, nickname: Left out, amount: 0, currency: usd, interval: month, interval_count: 1,
          expires_at: 2026-12-31T23:59:59Z, metadata: {"b": "2", "a": 1} }
      - { id: 2, nickname: Given null, amount: 0, currency: usd, interval: month, interval_count: 1, available_online: null }
      - { id: 3, nickname: "Off", amount: 0, currency: usd, interval: month, interval_count: 1, available_online: false }
  - { id: 11, site_id: 1232, name: Retired, active: false }
`
	// when it is parsed
	c, err := catalogfile.Parse("c.yaml", []byte(file))
	if err != nil {
		t.Fatalf("Parse: %v", err)
	}
	// then documents are canonical JSON, and the defaults hold unless the file says false
	plans := c.Products[0].Plans
	got := []any{c.Sites[0].Logo, c.Sites[0].Paywalls, c.Products[0].PackageDimensions, plans[0].Metadata,
		plans[0].ExpiresAt, plans[0].AvailableOnline, plans[1].AvailableOnline, plans[2].AvailableOnline,
		c.Products[0].Active, c.Products[1].Active}
	want := []any{catalog.Document(`{"alt":null,"dark":true,"sizes":[16,32.5],"url":"https://example.com/logo.png"}`),
		catalog.Document(`[]`), catalog.Document(`{"height":2,"width":10}`), catalog.Document(`{"a":1,"b":"2"}`),
		"2026-12-31T23:59:59Z", true, true, false, true, false}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("parsed\n\t%q\nwant\n\t%q", got, want)
	}
}

// exampleFile is the example catalog shipped with the repository; it doubles as the fuzz seed.
const exampleFile = "../../examples/catalog.yaml"

func TestTheExampleCatalogIsValid(t *testing.T) {
	t.Parallel()
	c, err := catalogfile.ParseFile(exampleFile)
	if err != nil {
		t.Fatalf("ParseFile: %v", err)
	}
	if len(c.Accounts) != 1 || len(c.Sites) != 2 || len(c.Products) != 3 || len(c.Coupons) != 3 ||
		len(c.EcommerceProducts) != 2 || len(c.TaxRates) != 3 || len(c.Segments) != 2 {
		t.Fatalf("unexpected entity counts: %+v", c)
	}
	campus := c.Products[0].Plans[3]
	if campus.ID != 4052 || campus.Domains[1] != "*.example.edu" || campus.IPAddresses[2] != "2001:db8::/48" || !campus.IsActive() {
		t.Fatalf("campus plan = %+v", campus)
	}
	if site := c.Sites[0]; site.GoogleAppID != "123456789012-example.apps.googleusercontent.com" || site.FacebookAppID != "" {
		t.Fatalf("site 1232 identity providers = %+v", site.SiteAttributes)
	}
	if retired := c.Products[0].Plans[2]; retired.IsActive() {
		t.Fatalf("plan 4054 says active: false but reads as active")
	}
}
