package customer_test

import (
	"strings"
	"testing"

	"golang.org/x/text/language"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
)

func home() customer.Address {
	return customer.Address{ID: 31, Type: customer.AddressShipping, FirstName: "Ann", Line1: "1 Main St", City: "Montréal",
		State: "QC", PostalCode: "H2X 1Y4", Country: "CA", Phone: "5145550102", IsDefault: true}
}

func added(a customer.Address) customer.AddressAdded {
	return customer.AddressAdded{CustomerID: annID, Address: a, AddedAt: registerTime}
}

func TestAddAddress(t *testing.T) {
	t.Parallel()
	office := customer.Address{ID: 32, Line1: " 2 Rue Haute ", Country: "fr", IsDefault: true}
	cases := []struct {
		name  string
		given []customer.Event
		add   customer.NewAddress
		want  []customer.Event
	}{
		{"an address is added tidied, shipping by default", []customer.Event{registered()}, customer.NewAddress{Address: office},
			[]customer.Event{customer.AddressAdded{CustomerID: annID, AddedAt: now, Address: customer.Address{ID: 32,
				Type: customer.AddressShipping, Line1: "2 Rue Haute", Country: "FR", IsDefault: true}}}},
		{"a US address with its state and postal code", []customer.Event{registered()}, customer.NewAddress{RequirePostalCode: true,
			Address: customer.Address{ID: 33, Type: "Billing", Line1: "5 Elm", State: "ny", PostalCode: "10001", Country: "us"}},
			[]customer.Event{customer.AddressAdded{CustomerID: annID, AddedAt: now, Address: customer.Address{ID: 33,
				Type: customer.AddressBilling, Line1: "5 Elm", State: "NY", PostalCode: "10001", Country: "US"}}}},
		{"an Australian state has up to three letters", []customer.Event{registered()},
			customer.NewAddress{Address: customer.Address{ID: 34, Line1: "9 George St", State: "nsw", Country: "AU"}},
			[]customer.Event{customer.AddressAdded{CustomerID: annID, AddedAt: now, Address: customer.Address{ID: 34,
				Type: customer.AddressShipping, Line1: "9 George St", State: "NSW", Country: "AU"}}}},
		{"a state elsewhere is free text", []customer.Event{registered()},
			customer.NewAddress{Address: customer.Address{ID: 35, Line1: "Hauptstr. 1", State: "Bayern", Country: "DE"}},
			[]customer.Event{customer.AddressAdded{CustomerID: annID, AddedAt: now, Address: customer.Address{ID: 35,
				Type: customer.AddressShipping, Line1: "Hauptstr. 1", State: "Bayern", Country: "DE"}}}},
		{"a phone is stored as the profile's, without its separators", []customer.Event{registered()},
			customer.NewAddress{Address: customer.Address{ID: 36, Line1: "2 Rue Haute", Country: "FR", Phone: "+33 1 23 45 67 89"}},
			[]customer.Event{customer.AddressAdded{CustomerID: annID, AddedAt: now, Address: customer.Address{ID: 36,
				Type: customer.AddressShipping, Line1: "2 Rue Haute", Country: "FR", Phone: "+33123456789"}}}},
		{"a retried add of the same address is a no-op", []customer.Event{registered(), added(home())},
			customer.NewAddress{Address: home()}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			customers.Given(tc.given...).When(on(customer.AddAddress, tc.add)).Then(t, tc.want...)
		})
	}
	t.Run("another address under a used id is refused", func(t *testing.T) {
		t.Parallel()
		other := home()
		other.Line1 = "3 Other St"
		customers.Given(registered(), added(home())).When(on(customer.AddAddress, customer.NewAddress{Address: other})).
			ThenError(t, customer.ErrAddressIDTaken)
	})
	t.Run("an unknown customer is refused", func(t *testing.T) {
		t.Parallel()
		customers.Given().When(on(customer.AddAddress, customer.NewAddress{Address: home()})).ThenError(t, customer.ErrNotRegistered)
	})
}

func TestAddAddressReportsEveryProblem(t *testing.T) {
	t.Parallel()
	long := strings.Repeat("é", 256)
	cases := []struct {
		name string
		add  customer.NewAddress
		want customer.Problems
	}{
		{"rule 25: line1 and country are required", customer.NewAddress{Address: customer.Address{Line1: " "}},
			customer.Problems{{Field: "line1", Rule: customer.RuleRequired}, {Field: "country", Rule: customer.RuleRequired}}},
		{"type is shipping or billing", customer.NewAddress{Address: customer.Address{Type: "account_primary", Line1: "x", Country: "FR"}},
			customer.Problems{{Field: "type", Rule: customer.RuleOneOf}}},
		{"country is an ISO 3166-1 alpha-2 code", customer.NewAddress{Address: customer.Address{Line1: "x", Country: "UK"}},
			customer.Problems{{Field: "country", Rule: customer.RuleCountry}}},
		{"a three-letter country is refused", customer.NewAddress{Address: customer.Address{Line1: "x", Country: "FRA"}},
			customer.Problems{{Field: "country", Rule: customer.RuleCountry}}},
		{"US, CA and AU addresses need a state", customer.NewAddress{Address: customer.Address{Line1: "x", Country: "AU"}},
			customer.Problems{{Field: "state", Rule: customer.RuleRequired}}},
		{"the state must be one of the country", customer.NewAddress{Address: customer.Address{Line1: "x", State: "NSW", Country: "CA"}},
			customer.Problems{{Field: "state", Rule: customer.RuleState}}},
		{"rule 25: AvaTax validation needs a US or CA postal code",
			customer.NewAddress{RequirePostalCode: true, Address: customer.Address{Line1: "x", State: "QC", Country: "CA"}},
			customer.Problems{{Field: "postal_code", Rule: customer.RuleRequired}}},
		{"the phone is numeric, as the profile's", customer.NewAddress{Address: customer.Address{Line1: "x", Country: "FR", Phone: "abc"}},
			customer.Problems{{Field: "phone", Rule: customer.RuleNumeric}}},
		{"limits of spec 2.8, counted in characters", customer.NewAddress{Address: customer.Address{
			FirstName: long, LastName: long, Title: long, Salutation: long, Company: long, Department: long, Line1: long,
			Line2: long, City: long, State: long, PostalCode: strings.Repeat("9", 46), Country: "FR"}},
			customer.Problems{{Field: "first_name", Rule: customer.RuleMaxLength, Max: 255},
				{Field: "last_name", Rule: customer.RuleMaxLength, Max: 255},
				{Field: "title", Rule: customer.RuleMaxLength, Max: 255},
				{Field: "salutation", Rule: customer.RuleMaxLength, Max: 255},
				{Field: "company", Rule: customer.RuleMaxLength, Max: 255},
				{Field: "department", Rule: customer.RuleMaxLength, Max: 255},
				{Field: "line1", Rule: customer.RuleMaxLength, Max: 255},
				{Field: "line2", Rule: customer.RuleMaxLength, Max: 255},
				{Field: "city", Rule: customer.RuleMaxLength, Max: 255},
				{Field: "state", Rule: customer.RuleMaxLength, Max: 255},
				{Field: "postal_code", Rule: customer.RuleMaxLength, Max: 45}}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a customer, when the address breaks rules
			events, err := customer.AddAddress(stateOf(registered()), tc.add, now)
			// then every broken rule is reported and nothing is added
			wantProblems(t, events, err, tc.want)
		})
	}
}

func TestUpdateAddress(t *testing.T) {
	t.Parallel()
	updated := func(a customer.Address) customer.AddressUpdated {
		return customer.AddressUpdated{CustomerID: annID, Address: a, UpdatedAt: now}
	}
	moved := home()
	moved.Line1, moved.Line2, moved.IsDefault = "8 Pine Ave", "", false
	cases := []struct {
		name  string
		patch customer.AddressPatch
		want  []customer.Event
	}{
		{"given fields change, the others are kept, the whole address is carried",
			customer.AddressPatch{Line1: ptr(" 8 Pine Ave "), Line2: ptr(""), IsDefault: ptr(false)},
			[]customer.Event{updated(moved)}},
		{"a change that changes nothing is a no-op", customer.AddressPatch{State: ptr("qc"), Country: ptr("ca")}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			customers.Given(registered(), added(home())).
				When(on(customer.UpdateAddress, customer.AddressChange{AddressID: 31, Changes: tc.patch})).Then(t, tc.want...)
		})
	}
	t.Run("an address the customer does not have is not found", func(t *testing.T) {
		t.Parallel()
		customers.Given(registered(), added(home())).
			When(on(customer.UpdateAddress, customer.AddressChange{AddressID: 99, Changes: customer.AddressPatch{Line1: ptr("x")}})).
			ThenError(t, customer.ErrAddressNotFound)
	})
	t.Run("the result is checked as a new address is", func(t *testing.T) {
		t.Parallel()
		customers.Given(registered(), added(home())).
			When(on(customer.UpdateAddress, customer.AddressChange{AddressID: 31, Changes: customer.AddressPatch{Country: ptr("US")}})).
			ThenError(t, customer.ErrInvalid)
	})
}

func TestOneDefaultAddressPerType(t *testing.T) {
	t.Parallel()
	second := customer.Address{ID: 32, Type: customer.AddressShipping, Line1: "2 Rue Haute", Country: "FR", IsDefault: true}
	billing := customer.Address{ID: 33, Type: customer.AddressBilling, Line1: "5 Elm", State: "NY", Country: "US", IsDefault: true}
	defaults := func(s customer.State) map[int64]bool {
		out := map[int64]bool{}
		for _, a := range s.Addresses {
			out[a.ID] = a.IsDefault
		}
		return out
	}
	// given a default shipping address and a default billing one, when a new default shipping address is added
	s := stateOf(registered(), added(home()), added(billing), added(second))
	// then it alone is the shipping default, the billing default stays, and the order is kept
	if got := defaults(s); !got[32] || got[31] || !got[33] || s.Addresses[0].ID != 31 || s.Addresses[2].ID != 32 {
		t.Fatalf("defaults after adding %v, addresses %v", got, s.Addresses)
	}
	// when the first address becomes the default again through an update
	again := home()
	s = customer.Evolve(s, customer.AddressUpdated{CustomerID: annID, Address: again, UpdatedAt: now})
	if got := defaults(s); !got[31] || got[32] || !got[33] {
		t.Fatalf("defaults after updating %v", got)
	}
}

func TestCountriesAreISO3166Alpha2(t *testing.T) {
	t.Parallel()
	count := 0
	for a := 'A'; a <= 'Z'; a++ {
		for b := 'A'; b <= 'Z'; b++ {
			code := string([]rune{a, b})
			if !customer.IsCountry(code) {
				continue
			}
			count++
			// x/text's CLDR region data is an independent source: it catches a mistyped code.
			if region, err := language.ParseRegion(code); err != nil || !region.IsCountry() || region.String() != code {
				t.Errorf("%s is not a country according to CLDR", code)
			}
		}
	}
	if count != 249 {
		t.Fatalf("%d country codes, ISO 3166-1 assigns 249", count)
	}
	if customer.IsCountry("ca") || customer.IsCountry("XK") {
		t.Fatal("lower-case or user-assigned codes accepted")
	}
}
