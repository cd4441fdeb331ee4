package customer_test

import (
	"errors"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
)

// refusedFields returns the fields of err's printable problems, failing the test when err is not Problems.
func refusedFields(t *testing.T, events []customer.Event, err error) []string {
	t.Helper()
	var problems customer.Problems
	if !errors.As(err, &problems) || len(events) > 0 {
		t.Fatalf("decision = %v, %v; want Problems only", events, err)
	}
	var fields []string
	for _, p := range problems {
		if p.Rule == customer.RulePrintable {
			fields = append(fields, p.Field)
		}
	}
	return fields
}

func TestEveryCustomerTextRefusesControlCharacters(t *testing.T) {
	t.Parallel()
	withAddress := stateOf(registered(), customer.AddressAdded{CustomerID: annID, AddedAt: now,
		Address: customer.Address{ID: 5, Type: customer.AddressShipping, Line1: "1 Main St", Country: "FR"}})
	cases := []struct {
		name   string
		decide decision
		want   []string
	}{
		{"issue 8: a NUL in a name at registration", on(customer.Register, customer.Registration{CustomerID: 1, AccountID: 10,
			Email: "bob@example.com", Profile: customer.Profile{FirstName: "a\x00b", Organization: "\x1b[31mred"}}),
			[]string{"first_name", "organization"}},
		{"issue 8: names and metadata values at a profile update", on(customer.ChangeProfile, customer.ProfileChange{
			Changes: customer.ProfilePatch{LastName: ptr("a\x00b"), Metadata: map[string]any{"note": "a\x00b"}}}),
			[]string{"last_name", "metadata"}},
		{"a metadata key", on(customer.ChangeProfile, customer.ProfileChange{
			Changes: customer.ProfilePatch{Metadata: map[string]any{"a\x00": "b"}}}), []string{"metadata"}},
		{"a metadata value nested in objects and arrays", on(customer.ChangeProfile, customer.ProfileChange{
			Changes: customer.ProfilePatch{Metadata: map[string]any{"deep": []any{1.0, map[string]any{"x": "\u0085"}}}}}),
			[]string{"metadata"}},
		{"a line break in a single-line field", on(customer.ChangeProfile, customer.ProfileChange{
			Changes: customer.ProfilePatch{DisplayName: ptr("Ann\nBcc: x@y.z")}}), []string{"display_name"}},
		{"invalid UTF-8", on(customer.ChangeProfile, customer.ProfileChange{
			Changes: customer.ProfilePatch{Title: ptr("Dr \xff")}}), []string{"title"}},
		{"issue 8: an address at creation", on(customer.AddAddress, customer.NewAddress{Address: customer.Address{ID: 6,
			Line1: "1 Main\x00St", City: "Par\u2028is", Country: "FR"}}), []string{"line1", "city"}},
		{"issue 8: an address at an update", func(customer.State) ([]customer.Event, error) {
			return customer.UpdateAddress(withAddress, customer.AddressChange{AddressID: 5,
				Changes: customer.AddressPatch{Company: ptr("a\x00b"), PostalCode: ptr("75\x001")}}, now)
		}, []string{"company", "postal_code"}},
		{"an identity provider's subject", on(customer.LinkIdentity, customer.Identity{Provider: "google", Subject: "12\x003"}),
			[]string{"idp_token"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given Ann, when a command carries a text with a control character or invalid UTF-8
			events, err := tc.decide(stateOf(registered()))
			// then the command is refused with a printable problem on exactly those fields
			got := refusedFields(t, events, err)
			if len(got) != len(tc.want) {
				t.Fatalf("printable problems on %v, want %v (%v)", got, tc.want, err)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("printable problems on %v, want %v (%v)", got, tc.want, err)
				}
			}
		})
	}
}

func TestMetadataValuesMayHoldLineBreaks(t *testing.T) {
	t.Parallel()
	// given Ann, when her metadata gets a multi-line value with a tab, then it is recorded as given
	note := "line 1\r\n\tline 2"
	customers.Given(registered()).When(on(customer.ChangeProfile, customer.ProfileChange{
		Changes: customer.ProfilePatch{Metadata: map[string]any{"note": note}}})).
		Then(t, customer.ProfileChanged{CustomerID: annID, ChangedAt: now, Profile: customer.Profile{FirstName: "Ann",
			Language: "en", Metadata: map[string]any{"tier": "gold", "seats": 2.0, "note": note}}})
}
