package operator_test

import (
	"errors"
	"slices"
	"testing"

	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/operator"
	"github.com/pelcro-oss/pelcro-api/queries"
)

func ptr(s string) *string { return &s }

func text(s *string) string {
	if s == nil {
		return "<null>"
	}
	return *s
}

// TestCustomerAsOfMatchesHandComputedStates checks the resource at instants between the appends against what
// the story says it was then.
func TestCustomerAsOfMatchesHandComputedStates(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	h := w.tellHistory()

	tests := []struct {
		name             string
		at               operator.Instant
		first, last      *string
		cards, invoices  int
		invoiceStatus    string
		defaultCardLast4 string
	}{
		{"right after registering", operator.Instant{Time: h.afterRegistration}, ptr("Ann"), nil, 0, 0, "", ""},
		{"at the rename's position", operator.Instant{Position: &h.renamed}, ptr("Anna"), ptr("Smith"), 0, 0, "", ""},
		{"after the rename", operator.Instant{Time: h.afterRename}, ptr("Anna"), ptr("Smith"), 0, 0, "", ""},
		{"at the payment's position", operator.Instant{Position: &h.paid}, ptr("Anna"), ptr("Smith"), 1, 1, "paid", "4242"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c, err := w.op.CustomerAsOf(t.Context(), annID, tc.at)
			if err != nil {
				t.Fatal(err)
			}
			if c.ID != annID || c.Email != annEmail || text(c.FirstName) != text(tc.first) || text(c.LastName) != text(tc.last) {
				t.Errorf("customer = %d %s %s %s, want %d %s %s %s", c.ID, c.Email, text(c.FirstName), text(c.LastName),
					annID, annEmail, text(tc.first), text(tc.last))
			}
			if len(c.Sources) != tc.cards || len(c.Invoices) != tc.invoices {
				t.Fatalf("%d cards and %d invoices, want %d and %d", len(c.Sources), len(c.Invoices), tc.cards, tc.invoices)
			}
			if tc.invoices > 0 && c.Invoices[0].Status != tc.invoiceStatus {
				t.Errorf("invoice status = %s, want %s", c.Invoices[0].Status, tc.invoiceStatus)
			}
			if tc.defaultCardLast4 != "" && (c.Source == nil || c.Source.Properties.Last4 != tc.defaultCardLast4) {
				t.Errorf("default card = %+v, want one ending %s", c.Source, tc.defaultCardLast4)
			}
		})
	}
}

func TestCustomerAsOfNowIsTheLiveResourceAndTheLiveTablesStayUntouched(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.tellHistory()
	head := lastPosition(t, w)

	then, err := w.op.CustomerAsOf(t.Context(), annID, operator.Instant{Position: &head})
	if err != nil {
		t.Fatal(err)
	}
	live, err := queries.Customers{DB: w.db}.Customer(t.Context(), annID)
	if err != nil {
		t.Fatal(err)
	}
	if text(then.FirstName) != text(live.FirstName) || then.UpdatedAt != live.UpdatedAt ||
		len(then.Sources) != len(live.Sources) || len(then.Invoices) != len(live.Invoices) {
		t.Errorf("as of the head = %+v, want the live resource %+v", then, live)
	}
	if _, err := w.op.CustomerAsOf(t.Context(), annID, operator.Instant{Time: tick(t).AddDate(-1, 0, 0)}); !errors.Is(err, operator.ErrNotYet) {
		t.Errorf("a year ago: err = %v, want ErrNotYet", err)
	}
	if live2, _ := (queries.Customers{DB: w.db}).Customer(t.Context(), annID); text(live2.FirstName) != "Anna" {
		t.Errorf("the live row changed to %s", text(live2.FirstName))
	}
}

func TestDiffNamesTheFieldsThatChangedBetweenTwoInstants(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	h := w.tellHistory()

	changes, err := w.op.Diff(t.Context(), annID, operator.Instant{Time: h.afterRegistration}, operator.Instant{Time: h.afterRename})
	if err != nil {
		t.Fatal(err)
	}
	var fields []string
	for _, c := range changes {
		fields = append(fields, c.Field)
	}
	want := []string{"first_name", "full_name", "last_name", "name", "updated_at"}
	if !slices.Equal(fields, want) {
		t.Errorf("changed fields = %v, want %v", fields, want)
	}
	if string(changes[0].Before) != `"Ann"` || string(changes[0].After) != `"Anna"` {
		t.Errorf("first_name changed from %s to %s", changes[0].Before, changes[0].After)
	}

	born, err := w.op.Diff(t.Context(), annID, operator.Instant{Time: h.beforeAll}, operator.Instant{Time: h.afterRegistration})
	if err != nil {
		t.Fatal(err)
	}
	if len(born) == 0 || string(born[0].Before) != "null" {
		t.Errorf("diff across the registration = %+v, want every field from null", born)
	}
}

func TestParsePosition(t *testing.T) {
	t.Parallel()
	if p, err := operator.ParsePosition("12/34"); err != nil || p != (eventstore.Position{Commit: 12, Prepare: 34}) {
		t.Errorf("ParsePosition(12/34) = %v, %v", p, err)
	}
	for _, bad := range []string{"", "12", "a/b", "1/-2"} {
		if _, err := operator.ParsePosition(bad); err == nil {
			t.Errorf("ParsePosition(%q) accepted", bad)
		}
	}
}

func lastPosition(t *testing.T, w *world) eventstore.Position {
	t.Helper()
	entries, err := w.op.Tail(t.Context(), eventstore.AllStart(), "", 1000, false)
	if err != nil || len(entries) == 0 {
		t.Fatalf("tail: %v", err)
	}
	return entries[len(entries)-1].Position
}
