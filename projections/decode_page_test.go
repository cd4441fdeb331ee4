package projections

import (
	"encoding/json"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// BenchmarkDecodeAll decodes one rebuild page of newsletter events shaped as bench/rebuild writes them
// (payloads, metadata and names), the decode half of a rebuild's Go CPU without the database.
func BenchmarkDecodeAll(b *testing.B) {
	events := newsletterPage(b, 2500)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, err := decodeAll(newsletter.Events, events, func(int) bool { return true }); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(events)), "ns/event")
}

// newsletterPage is n events of bench/rebuild's shape: a subscription, two updates, then an update or an
// unsubscription, per entry.
func newsletterPage(tb testing.TB, n int) []eventstore.RecordedEvent {
	tb.Helper()
	events := make([]eventstore.RecordedEvent, 0, n)
	for k := 0; len(events) < n; k++ {
		at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(k) * time.Second)
		siteID, email := int64(1000+k%50), fmt.Sprintf("reader%d@news%d.example.org", k, k%97)
		details := newsletter.Details{FirstName: "Ada", LastName: fmt.Sprintf("Reader %d", k), PostalCode: "10001",
			Source: "web", Lists: "daily,weekly", ConsentURL: "https://news.example.com/signup",
			ConsentText: "I agree to receive the newsletter", ConsentType: "explicit", ConsentIP: "203.0.113.7"}
		values := []any{newsletter.Subscribed{SiteID: siteID, Email: email, Details: details, SubscribedAt: at},
			newsletter.Updated{SiteID: siteID, Email: email, Details: details, UpdatedAt: at.Add(time.Hour)},
			newsletter.Updated{SiteID: siteID, Email: email, Details: details, UpdatedAt: at.Add(2 * time.Hour)},
			newsletter.Unsubscribed{SiteID: siteID, Email: email, UnsubscribedAt: at.Add(3 * time.Hour)}}
		for i, v := range values {
			encoded, err := newsletter.Events.Encode(v)
			if err != nil {
				tb.Fatal(err)
			}
			commandID := fmt.Sprintf("bench-%d-%d", k, i)
			metadata, err := json.Marshal(aggregates.Metadata{SchemaVersion: encoded.SchemaVersion, CommandID: commandID,
				CorrelationID: commandID, SiteID: fmt.Sprint(siteID), Actor: "customer:" + email})
			if err != nil {
				tb.Fatal(err)
			}
			events = append(events, eventstore.RecordedEvent{ID: uuid.New(), StreamID: fmt.Sprintf("newsletter-%d", k),
				Revision: uint64(i), Position: eventstore.Position{Commit: uint64(k), Prepare: uint64(len(events))},
				Type: encoded.Name, Data: encoded.Data, Metadata: metadata, Created: at})
		}
	}
	return events[:n]
}

// TestDecodeAllReadsViewsOfThePage: decodeAll gives what decodeEvent gives, with one allocation per
// newsletter event (its boxed payload) instead of three: the metadata's and the payload's strings are views
// of the page's bytes, not copies (a fifth of the decoding's CPU).
//
// Not parallel: testing.AllocsPerRun counts the whole process's allocations.
func TestDecodeAllReadsViewsOfThePage(t *testing.T) {
	cases := []struct {
		name   string
		events int
	}{
		{"one goroutine's share", 200},
		{"a page split among the cores", 2000},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			// given a page of newsletter events
			events := newsletterPage(t, c.events)
			// when the page is decoded
			decoded, _, err := decodeAll(newsletter.Events, events, func(int) bool { return true })
			if err != nil {
				t.Fatal(err)
			}
			allocs := testing.AllocsPerRun(5, func() {
				_, _, _ = decodeAll(newsletter.Events, events, func(int) bool { return true })
			})
			// then every event is what the copying decode reads, at about one allocation each
			for i := range events {
				want, err := decodeEvent(newsletter.Events, events[i])
				if err != nil || !reflect.DeepEqual(decoded[i], want) {
					t.Fatalf("event %d: decodeAll %+v; decodeEvent %+v, %v", i, decoded[i], want, err)
				}
			}
			if perEvent := allocs / float64(c.events); perEvent > 1.2 {
				t.Fatalf("%.2f allocations per event; want 1 (the boxed payload)", perEvent)
			}
		})
	}
}
