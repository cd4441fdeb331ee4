package customer

import (
	"context"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/jmoiron/sqlx"
	"pgregory.net/rapid"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/projections"
	"github.com/pelcro-oss/pelcro-api/projections/projectiontest"
)

// TestBatchMatchesTheApplyFuncs: for any history of a few customers — every event type, addresses taking
// over defaults, sign-ins recorded in their own streams and in the customer's, erasures and the emptied
// events an erased customer's history reads as, redeliveries of earlier events — and any cut into batches, applyBatch leaves exactly the rows the apply funcs leave
// applying the events one transaction at a time.
func TestBatchMatchesTheApplyFuncs(t *testing.T) {
	t.Parallel()
	live, batched := projectiontest.ReadModels(t), projectiontest.ReadModels(t)
	rapid.Check(t, func(r *rapid.T) {
		events := drawHistory(r)
		for _, db := range []*sqlx.DB{live, batched} {
			projectiontest.InTx(t, db, func(ctx context.Context, tx *sqlx.Tx) error {
				_, err := tx.ExecContext(ctx, `TRUNCATE customers, customer_addresses`)
				return err
			})
		}
		for _, e := range events {
			projectiontest.InTx(t, live, func(ctx context.Context, tx *sqlx.Tx) error { return applyOne(ctx, tx, e) })
		}
		for start := 0; start < len(events); {
			size := rapid.IntRange(1, len(events)).Draw(r, "batch size")
			batch := events[start:min(start+size, len(events))]
			projectiontest.InTx(t, batched, func(ctx context.Context, tx *sqlx.Tx) error { return applyBatch(ctx, tx, batch) })
			start += size
		}
		if got, want := snapshot(t, batched), snapshot(t, live); !reflect.DeepEqual(got, want) {
			r.Fatalf("batched:\n%+v\nwant one by one:\n%+v", got, want)
		}
	})
}

// drawHistory draws the log of up to three customers, their own streams and their sign-in streams, in the
// order a subscription would deliver it. Sign-ins come both ways: records of the sign-in stream, and the
// customer-stream events of older versions (drawChange).
func drawHistory(r *rapid.T) []projections.Event[any] {
	at := func(n int) time.Time {
		return time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC).Add(time.Duration(n) * time.Second)
	}
	revisions := map[string]uint64{}
	erased := map[int64]bool{}
	var events []projections.Event[any]
	addTo := func(stream string, data any) {
		events = append(events, projections.Event[any]{Envelope: projections.Envelope{Revision: revisions[stream],
			Stream: stream}, Data: data})
		revisions[stream]++
	}
	add := func(id int64, data any) { addTo(fmt.Sprint("customer-", id), data) }
	for step := range rapid.IntRange(1, 40).Draw(r, "events") {
		id := rapid.Int64Range(1, 3).Draw(r, "customer")
		when := at(step)
		switch {
		case revisions[fmt.Sprint("customer-", id)] == 0:
			add(id, customer.Registered{CustomerID: id, AccountID: 1, SiteID: 1232, Email: fmt.Sprint("c", id, "@example.com"),
				PasswordHash: rapid.SampledFrom([]string{"", "hash"}).Draw(r, "password"), Method: "password",
				Profile: customer.Profile{FirstName: "Ann", Language: "en", Metadata: map[string]any{"tier": "gold"}}, RegisteredAt: when})
		case erased[id]:
			// the emptied events an erased customer's earlier history reads as, delivered again
			if len(events) > 0 {
				e := rapid.SampledFrom(events).Draw(r, "redelivered")
				events = append(events, emptied(e))
			}
		case rapid.IntRange(0, 20).Draw(r, "erase?") == 0:
			add(id, customer.Erased{CustomerID: id, ErasedAt: when})
			erased[id] = true
		case rapid.IntRange(0, 6).Draw(r, "redeliver?") == 0:
			events = append(events, rapid.SampledFrom(events).Draw(r, "redelivered"))
		case rapid.IntRange(0, 3).Draw(r, "sign in?") == 0:
			addTo(fmt.Sprint(customer.SignInStreamPrefix, id), customer.LoggedIn{CustomerID: id, SiteID: 1232,
				Method: rapid.SampledFrom([]string{"password", "passwordless", "idp:google"}).Draw(r, "method"), LoggedInAt: when})
		default:
			add(id, drawChange(r, id, when))
		}
	}
	return events
}

// drawChange draws any event but a registration or an erasure of customer id.
func drawChange(r *rapid.T, id int64, when time.Time) any {
	address := func() customer.Address {
		return customer.Address{ID: id*10 + rapid.Int64Range(1, 3).Draw(r, "address"),
			Type:  rapid.SampledFrom([]customer.AddressType{customer.AddressShipping, customer.AddressBilling}).Draw(r, "type"),
			Line1: rapid.StringMatching(`[0-9]{1,3} [A-Z][a-z]{2,6} St`).Draw(r, "line1"), Country: "FR",
			IsDefault: rapid.Bool().Draw(r, "default")}
	}
	name := rapid.StringMatching(`[A-Z][a-z]{0,8}`).Draw(r, "name")
	changes := []any{
		customer.ProfileChanged{CustomerID: id, Profile: customer.Profile{FirstName: name, Phone: "5145551234", Language: "fr",
			EmailHardbounce: rapid.Bool().Draw(r, "hardbounce"), Metadata: map[string]any{"n": name}}, ChangedAt: when},
		customer.EmailChanged{CustomerID: id, Email: name + "@example.com", ChangedAt: when},
		customer.UsernameChanged{CustomerID: id, Username: name, ChangedAt: when},
		customer.PasswordChanged{CustomerID: id, PasswordHash: "hash-2", ChangedAt: when},
		customer.IdentityUnlinked{CustomerID: id, Provider: "google", Subject: "g", UnlinkedAt: when},
		customer.LoggedIn{CustomerID: id, SiteID: 1232, Method: "password", LoggedInAt: when},
		customer.EmailVerified{CustomerID: id, Email: rapid.SampledFrom([]string{name + "@example.com", fmt.Sprint("c", id, "@example.com")}).Draw(r, "verified"), VerifiedAt: when},
		customer.PictureSet{CustomerID: id, File: name + ".png", SetAt: when},
		customer.PictureRemoved{CustomerID: id, RemovedAt: when},
		customer.AddressAdded{CustomerID: id, Address: address(), AddedAt: when},
		customer.AddressUpdated{CustomerID: id, Address: address(), UpdatedAt: when},
	}
	return rapid.SampledFrom(changes).Draw(r, "change")
}

// emptied is e as it reads once its customer was erased: personal fields empty, ids kept.
func emptied(e projections.Event[any]) projections.Event[any] {
	switch d := e.Data.(type) {
	case customer.Registered:
		e.Data = customer.Registered{CustomerID: d.CustomerID, AccountID: d.AccountID, SiteID: d.SiteID, Method: d.Method, RegisteredAt: d.RegisteredAt}
	case customer.ProfileChanged:
		e.Data = customer.ProfileChanged{CustomerID: d.CustomerID, ChangedAt: d.ChangedAt}
	case customer.AddressAdded:
		e.Data = customer.AddressAdded{CustomerID: d.CustomerID, AddedAt: d.AddedAt}
	case customer.AddressUpdated:
		e.Data = customer.AddressUpdated{CustomerID: d.CustomerID, UpdatedAt: d.UpdatedAt}
	}
	return e
}

// applyOne applies e through the apply func of its type, as the projection's handlers do.
func applyOne(ctx context.Context, tx *sqlx.Tx, e projections.Event[any]) error {
	switch d := e.Data.(type) {
	case customer.Registered:
		return applyRegistered(ctx, tx, as(e, d))
	case customer.ProfileChanged:
		return projections.ApplyStatement(applyProfileChanged)(ctx, tx, as(e, d))
	case customer.EmailChanged:
		return projections.ApplyStatement(applyEmailChanged)(ctx, tx, as(e, d))
	case customer.UsernameChanged:
		return projections.ApplyStatement(applyUsernameChanged)(ctx, tx, as(e, d))
	case customer.PasswordChanged:
		return projections.ApplyStatement(applyPasswordChanged)(ctx, tx, as(e, d))
	case customer.IdentityUnlinked:
		return projections.ApplyStatement(applyIdentityUnlinked)(ctx, tx, as(e, d))
	case customer.LoggedIn:
		return projections.ApplyStatement(applyLoggedIn)(ctx, tx, as(e, d))
	case customer.EmailVerified:
		return projections.ApplyStatement(applyEmailVerified)(ctx, tx, as(e, d))
	case customer.PictureSet:
		return projections.ApplyStatement(applyPictureSet)(ctx, tx, as(e, d))
	case customer.PictureRemoved:
		return projections.ApplyStatement(applyPictureRemoved)(ctx, tx, as(e, d))
	case customer.AddressAdded:
		return applyAddressAdded(ctx, tx, as(e, d))
	case customer.AddressUpdated:
		return applyAddressUpdated(ctx, tx, as(e, d))
	case customer.Erased:
		return applyErased(ctx, tx, as(e, d))
	}
	return fmt.Errorf("unexpected event %T", e.Data)
}

func as[E any](e projections.Event[any], d E) projections.Event[E] {
	return projections.Event[E]{Envelope: e.Envelope, Data: d}
}

type tables struct {
	customers []storedCustomer
	addresses []storedAddress
}

// snapshot reads both tables, times in UTC.
func snapshot(t *testing.T, db *sqlx.DB) tables {
	t.Helper()
	var s tables
	if err := db.SelectContext(t.Context(), &s.customers, `SELECT `+customerColumns+` FROM customers ORDER BY id`); err != nil {
		t.Fatalf("read customers: %v", err)
	}
	for i := range s.customers {
		c := &s.customers[i]
		c.CreatedAt, c.UpdatedAt = c.CreatedAt.UTC(), c.UpdatedAt.UTC()
		for _, p := range []**time.Time{&c.PasswordLastUpdatedAt, &c.LastLoginAt, &c.TokensValidAfter} {
			if *p != nil {
				utc := (*p).UTC()
				*p = &utc
			}
		}
	}
	if err := db.SelectContext(t.Context(), &s.addresses, `SELECT `+addressColumns+` FROM customer_addresses ORDER BY id`); err != nil {
		t.Fatalf("read addresses: %v", err)
	}
	for i := range s.addresses {
		s.addresses[i].CreatedAt, s.addresses[i].UpdatedAt = s.addresses[i].CreatedAt.UTC(), s.addresses[i].UpdatedAt.UTC()
	}
	return s
}
