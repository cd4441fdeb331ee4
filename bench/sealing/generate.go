package main

import (
	"context"
	"encoding/json"
	"fmt"
	"sync/atomic"
	"time"

	"golang.org/x/sync/errgroup"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/bench/internal/benchenv"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/personaldata"
)

// eventsPerCustomer is the life of one generated customer, written in one append.
const eventsPerCustomer = 6

// generate writes the same customers to both logs, plaintext straight to plain's store and sealed through a
// sealing store over sealed's, from `writers` goroutines, and returns how many events each log got.
func generate(ctx context.Context, plain, sealed *benchenv.Database, customers, writers int) (int, error) {
	sealing, err := sealingStore(ctx, sealed)
	if err != nil {
		return 0, err
	}
	var next atomic.Int64
	g, ctx := errgroup.WithContext(ctx)
	for range writers {
		g.Go(func() error {
			for k := next.Add(1); k <= int64(customers); k = next.Add(1) {
				stream := commands.CustomerAggregate.StreamPrefix + fmt.Sprint(k)
				events, err := customerEvents(k, stream)
				if err != nil {
					return err
				}
				for _, store := range []eventstore.Store{plain.Store, sealing} {
					if _, err := store.Append(ctx, stream, eventstore.NoStream(), events...); err != nil {
						return fmt.Errorf("append %s: %w", stream, err)
					}
				}
			}
			return nil
		})
	}
	return customers * eventsPerCustomer, g.Wait()
}

// sealingStore is the sealing store `pelcro serve` wires over db's event store, with a new, empty key cache.
func sealingStore(ctx context.Context, db *benchenv.Database) (*personaldata.Store, error) {
	ring, err := personaldata.LoadKeyring(ctx, db.DB, "", nil)
	if err != nil {
		return nil, err
	}
	return personaldata.NewStore(db.Store, personaldata.NewKeys(db.DB, ring),
		personaldata.Config{Subjects: commands.PersonalDataStreams, Events: customer.Events}), nil
}

// customerEvents is customer k's life as the command pipeline stores it: registered with a full profile,
// the profile changed, a billing and a shipping address, a new email, a sign-in.
func customerEvents(k int64, stream string) ([]eventstore.EventData, error) {
	at := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(k) * time.Second)
	profile := customer.Profile{FirstName: "Ada", LastName: fmt.Sprint("Reader ", k), DisplayName: "Ada R.",
		Phone: "15550102030", Organization: "Example Media", Language: "en",
		Metadata: map[string]any{"plan": "gold", "referrer": "newsletter-2026", "seats": 3.0}}
	address := func(id int64, kind customer.AddressType) customer.Address {
		return customer.Address{ID: id, Type: kind, FirstName: "Ada", LastName: profile.LastName, Line1: fmt.Sprint(k, " Main Street"),
			Line2: "Apt 4", City: "Springfield", State: "IL", PostalCode: "62701", Country: "US", Phone: "15550102030", IsDefault: true}
	}
	changed := profile
	changed.FirstName, changed.Title = "Adaline", "Dr"
	values := []any{
		customer.Registered{CustomerID: k, AccountID: 1, SiteID: benchenv.FirstSiteID, Email: fmt.Sprintf("reader%d@mail.example.org", k),
			Username: fmt.Sprint("reader_", k), PasswordHash: "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHRzYWx0c2FsdA$aGFzaGhhc2hoYXNoaGFzaGhhc2hoYXNoaGFzaGhhc2g",
			Profile: profile, Method: customer.MethodPassword, RegisteredAt: at},
		customer.ProfileChanged{CustomerID: k, Profile: changed, ChangedAt: at.Add(time.Minute)},
		customer.AddressAdded{CustomerID: k, Address: address(2*k, customer.AddressBilling), AddedAt: at.Add(2 * time.Minute)},
		customer.AddressAdded{CustomerID: k, Address: address(2*k+1, customer.AddressShipping), AddedAt: at.Add(3 * time.Minute)},
		customer.EmailChanged{CustomerID: k, Email: fmt.Sprintf("changed%d@mail.example.org", k), ChangedAt: at.Add(4 * time.Minute)},
		customer.LoggedIn{CustomerID: k, SiteID: benchenv.FirstSiteID, Method: customer.MethodPassword, LoggedInAt: at.Add(5 * time.Minute)},
	}
	out := make([]eventstore.EventData, len(values))
	for i, v := range values {
		encoded, err := customer.Events.Encode(v)
		if err != nil {
			return nil, err
		}
		commandID := fmt.Sprintf("bench-%d-%d", k, i)
		metadata, err := json.Marshal(aggregates.Metadata{SchemaVersion: encoded.SchemaVersion, CommandID: commandID,
			CorrelationID: commandID, SiteID: fmt.Sprint(benchenv.FirstSiteID), Actor: fmt.Sprint("customer:", k)})
		if err != nil {
			return nil, err
		}
		out[i] = eventstore.EventData{ID: commands.EventID(stream, commandID, 0), Type: encoded.Name, Data: encoded.Data,
			Metadata: metadata}
	}
	return out, nil
}
