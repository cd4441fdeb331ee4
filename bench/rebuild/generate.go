package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/bench/internal/benchenv"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// eventsPerEntry is the life of one generated newsletter entry: subscribed, updated twice, then updated
// once more or (every fifth entry) unsubscribed. One append per entry writes all of it.
const eventsPerEntry = 4

// generate appends newsletter entries of sites spread over the catalog's sites until at least n events
// are written, from `writers` goroutines, and returns how many it wrote.
func generate(ctx context.Context, db *benchenv.Database, n, writers, sites int) (int, error) {
	entries := (n + eventsPerEntry - 1) / eventsPerEntry
	names, err := commands.NewStreamNames([]byte("naming secret of the rebuild benchmark, 32+ bytes"))
	if err != nil {
		return 0, err
	}
	var next atomic.Int64
	g, ctx := errgroup.WithContext(ctx)
	for range writers {
		g.Go(func() error {
			for k := int(next.Add(1)) - 1; k < entries; k = int(next.Add(1)) - 1 {
				siteID := benchenv.SiteID(k % sites)
				email := fmt.Sprintf("reader%d@news%d.example.org", k, k%97)
				stream, err := names.NewsletterStream(siteID, email)
				if err != nil {
					return err
				}
				events, err := entryEvents(k, siteID, email, stream)
				if err != nil {
					return err
				}
				if _, err := db.Store.Append(ctx, stream, eventstore.NoStream(), events...); err != nil {
					return fmt.Errorf("append %s: %w", stream, err)
				}
			}
			return nil
		})
	}
	return entries * eventsPerEntry, g.Wait()
}

// entryEvents encodes entry k's events as the command pipeline stores them: registry names and schema
// versions, ids derived like the pipeline's (one command per event), and metadata naming the command, a
// correlation, the site and an actor.
func entryEvents(k int, siteID int64, email, stream string) ([]eventstore.EventData, error) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(k) * time.Second)
	details := newsletter.Details{FirstName: "Ada", LastName: fmt.Sprintf("Reader %d", k), PostalCode: "10001",
		Source: "web", Lists: "daily,weekly", ConsentURL: "https://news.example.com/signup",
		ConsentText: "I agree to receive the newsletter", ConsentType: "explicit", ConsentIP: "203.0.113.7"}
	values := []any{newsletter.Subscribed{SiteID: siteID, Email: email, Details: details, SubscribedAt: at}}
	for update := 1; update < eventsPerEntry; update++ {
		at = at.Add(time.Hour)
		if update == eventsPerEntry-1 && k%5 == 0 {
			values = append(values, newsletter.Unsubscribed{SiteID: siteID, Email: email, UnsubscribedAt: at})
			continue
		}
		details.Lists = fmt.Sprintf("daily,weekly,offers-%d", update)
		values = append(values, newsletter.Updated{SiteID: siteID, Email: email, Details: details, UpdatedAt: at})
	}
	out := make([]eventstore.EventData, len(values))
	for i, v := range values {
		encoded, err := newsletter.Events.Encode(v)
		if err != nil {
			return nil, err
		}
		commandID := fmt.Sprintf("bench-%d-%d", k, i)
		metadata, err := json.Marshal(aggregates.Metadata{SchemaVersion: encoded.SchemaVersion, CommandID: commandID,
			CorrelationID: commandID, SiteID: fmt.Sprint(siteID), Actor: "customer:" + email})
		if err != nil {
			return nil, err
		}
		out[i] = eventstore.EventData{ID: commands.EventID(stream, commandID, 0), Type: encoded.Name,
			Data: encoded.Data, Metadata: metadata}
	}
	return out, nil
}
