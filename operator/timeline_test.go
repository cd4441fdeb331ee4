package operator_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/operator"
)

func TestTimelineTellsTheCustomersStreamsNewestFirstInPlainWords(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.tellHistory()

	page, err := w.op.Timeline(t.Context(), annID, time.Time{}, 50, "")
	if err != nil {
		t.Fatal(err)
	}
	wantStreams := []string{"customer-7", "invoice-20", newsletterAnn, "wallet-7"}
	if !slices.Equal(page.Streams, wantStreams) {
		t.Errorf("streams = %v, want %v (customer 8's must not be read)", page.Streams, wantStreams)
	}
	want := []struct{ what, who, request string }{
		{"An email subscribed to the newsletter of site 3", "unknown", "req-6"},
		{"Invoice 20 was paid: 12.50 USD charged by attempt 1 (charge ch_1, visa ending 4242)", "customer 7", "req-5"},
		{"Payment attempt 1 of invoice 20: charging 12.50 USD through stripe", "customer 7", "req-5"},
		{"Invoice 20 opened for customer 7: 12.50 USD due, open (manual)", "operator (cli)", "req-4"},
		{"Customer 7 saved card 11 (visa ending 4242, expires 04/2030) as their default", "customer 7", "req-3"},
		{"Customer 7 changed their profile", "customer 7", "req-2"},
		{"Customer 7 registered on site 3 (account 1) by password", "customer 7", "req-1"},
	}
	if len(page.Entries) != len(want) || page.Next != "" {
		t.Fatalf("got %d entries (next %q), want %d on one page", len(page.Entries), page.Next, len(want))
	}
	for i, e := range page.Entries {
		if e.What != want[i].what || e.Who != want[i].who || e.CorrelationID != want[i].request {
			t.Errorf("entry %d = %q by %q (%s), want %q by %q (%s)", i, e.What, e.Who, e.CorrelationID,
				want[i].what, want[i].who, want[i].request)
		}
		if strings.Contains(string(e.Data), annEmail) {
			t.Errorf("entry %d shows personal data: %s", i, e.Data)
		}
	}
}

func TestTimelinePagesWithItsCursorAndStopsAtSince(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	h := w.tellHistory()

	var seen []string
	cursor, pages := "", 0
	for {
		page, err := w.op.Timeline(t.Context(), annID, time.Time{}, 3, cursor)
		if err != nil {
			t.Fatal(err)
		}
		pages++
		for _, e := range page.Entries {
			seen = append(seen, e.Stream+"@"+e.At)
		}
		if cursor = page.Next; cursor == "" || pages > 5 {
			break
		}
	}
	all, err := w.op.Timeline(t.Context(), annID, time.Time{}, 50, "")
	if err != nil {
		t.Fatal(err)
	}
	var whole []string
	for _, e := range all.Entries {
		whole = append(whole, e.Stream+"@"+e.At)
	}
	if !slices.Equal(seen, whole) {
		t.Errorf("pages of 3 gave %v, want the one page %v", seen, whole)
	}

	since, err := w.op.Timeline(t.Context(), annID, h.afterRegistration, 50, "")
	if err != nil {
		t.Fatal(err)
	}
	if n := len(since.Entries); n != 6 || since.Entries[n-1].Type != "customer.profile_changed" {
		t.Errorf("since the registration: %d entries, want the 6 after it", n)
	}
}

func TestTimelineRefusesUnknownCustomersAndForeignCursors(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.tellHistory()

	if _, err := w.op.Timeline(t.Context(), 99, time.Time{}, 10, ""); !errors.Is(err, operator.ErrUnknownCustomer) {
		t.Errorf("unknown customer: err = %v", err)
	}
	if _, err := w.op.Timeline(t.Context(), annID, time.Time{}, 10, "not a cursor"); !errors.Is(err, operator.ErrBadCursor) {
		t.Errorf("bad cursor: err = %v", err)
	}
}

func TestFindCustomersByAnEmailOfTheirSite(t *testing.T) {
	t.Parallel()
	w := newWorld(t)
	w.tellHistory()

	for _, tc := range []struct {
		site  int64
		email string
		want  []int64
	}{
		{annSite, " Ann@Example.com", []int64{annID}},
		{annSite, "nobody@example.com", nil},
		{annSite + 1, annEmail, nil},
	} {
		got, err := w.op.FindCustomers(t.Context(), tc.site, tc.email)
		if err != nil {
			t.Fatal(err)
		}
		if !slices.Equal(got, tc.want) {
			t.Errorf("site %d, %q: got %v, want %v", tc.site, tc.email, got, tc.want)
		}
	}
}
