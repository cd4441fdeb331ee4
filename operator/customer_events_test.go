package operator_test

import (
	"encoding/base64"
	"errors"
	"fmt"
	"slices"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/operator"
)

// eventsWorld is customer 7 with a handful of events in customer-7 and many sign-ins in customer_signins-7,
// and customer 8 next door; it returns every event of customer 7 as stream@revision, in log order.
func eventsWorld(t *testing.T) (*world, []string) {
	t.Helper()
	w := newWorld(t)
	at := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	var want []string
	record := func(stream string, revision int, event any) {
		w.append(stream, "customer:7", "req", event)
		want = append(want, fmt.Sprintf("%s@%d", stream, revision))
	}
	record("customer-7", 0, customer.Registered{CustomerID: annID, AccountID: 1, SiteID: annSite, Email: annEmail, RegisteredAt: at})
	w.append("customer-8", "customer:8", "req", customer.Registered{CustomerID: 8, AccountID: 1, SiteID: annSite,
		Email: "bob@example.com", RegisteredAt: at})
	for i := range 60 {
		record("customer_signins-7", i, customer.LoggedIn{CustomerID: annID, SiteID: annSite, Method: "password", LoggedInAt: at})
	}
	w.project()
	return w, want
}

// Given a customer whose events sit mostly in one stream, when their events are read page by page, then the
// pages together give every event once, in log order, whatever the page size.
func TestCustomerEventsPagesGiveEveryEventOnceInOrder(t *testing.T) {
	t.Parallel()
	w, want := eventsWorld(t)
	for _, limit := range []int{1, 7, 30, 61, 500} {
		t.Run(fmt.Sprint("pages of ", limit), func(t *testing.T) {
			var got []string
			for cursor, pages := "", 0; pages == 0 || cursor != ""; pages++ {
				if pages > len(want) {
					t.Fatalf("more than %d pages", len(want))
				}
				page, err := w.op.CustomerEvents(t.Context(), annID, cursor, limit, false)
				if err != nil {
					t.Fatal(err)
				}
				if len(page.Entries) > limit {
					t.Fatalf("a page of %d events, limit %d", len(page.Entries), limit)
				}
				for _, e := range page.Entries {
					got = append(got, fmt.Sprintf("%s@%d", e.Stream, e.Revision))
				}
				cursor = page.Next
			}
			if !slices.Equal(got, want) {
				t.Errorf("pages of %d gave %d events\n%v\nwant %d\n%v", limit, len(got), got, len(want), want)
			}
		})
	}
}

// Given customer 7's events, when a cursor the method never wrote is presented, then it is refused.
func TestCustomerEventsRefuseCursorsItNeverWrote(t *testing.T) {
	t.Parallel()
	w, _ := eventsWorld(t)
	first, err := w.op.CustomerEvents(t.Context(), annID, "", 5, false)
	if err != nil || first.Next == "" {
		t.Fatalf("first page: %v, next %q", err, first.Next)
	}
	encode := func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
	cases := []struct {
		name     string
		customer int64
		cursor   string
	}{
		{"not base64", annID, "abc!"},
		{"an empty object", annID, encode(`{}`)},
		{"the whole log", annID, encode(`{"$all":0}`)},
		{"no streams", annID, encode(`{"customer":7,"next":{}}`)},
		{"another customer's stream", annID, encode(`{"customer":7,"next":{"customer-8":0}}`)},
		{"a revision past the end", annID, encode(`{"customer":7,"next":{"customer-7":5}}`)},
		{"customer 7's cursor on customer 8", 8, first.Next},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			_, err := w.op.CustomerEvents(t.Context(), c.customer, c.cursor, 5, false)
			if !errors.Is(err, operator.ErrBadCursor) {
				t.Fatalf("err %v, want ErrBadCursor", err)
			}
		})
	}
	t.Run("a stream read to its end", func(t *testing.T) {
		t.Parallel()
		if _, err := w.op.CustomerEvents(t.Context(), annID, encode(`{"customer":7,"next":{"customer-7":1}}`), 5, false); err != nil {
			t.Fatalf("a cursor at a stream's end: %v", err)
		}
	})
}
