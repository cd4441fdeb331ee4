package commands_test

import (
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

func TestSignInsAreRecordedOutsideTheCustomersStream(t *testing.T) {
	t.Parallel()
	w := newCustomerWorld(t)
	google := func(account int64, email string) commands.IdentitySignIn {
		return commands.IdentitySignIn{AccountID: account, SiteID: 1, Provider: "google", Subject: "g-" + email,
			Email: email, EmailVerified: true}
	}
	cases := []struct {
		name   string
		method string
		// link: the customer was mailed a passwordless link before signing in, which every sign-in uses
		link   bool
		signIn func(t *testing.T, account int64, link string, env commands.Envelope) (commands.CustomerResult, error)
	}{
		{"password", "password", false, func(t *testing.T, account int64, _ string, env commands.Envelope) (commands.CustomerResult, error) {
			return w.customers.Login(t.Context(), env, commands.Credentials{AccountID: account, SiteID: 1,
				Email: "ann@example.com", Password: "Secret-123"})
		}},
		{"mailed link, used again and again (rule 8)", "passwordless", true, func(t *testing.T, account int64, link string, env commands.Envelope) (commands.CustomerResult, error) {
			return w.customers.LoginWithToken(t.Context(), env, commands.TokenUse{AccountID: account, SiteID: 1, Token: link})
		}},
		{"identity provider", "idp:google", false, func(t *testing.T, account int64, _ string, env commands.Envelope) (commands.CustomerResult, error) {
			return w.customers.SignInWithIdentity(t.Context(), env, google(account, "ann@example.com"))
		}},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a customer of an account of the case's own, signed in once already
			account := int64(400 + i)
			id := w.registerIn(t, account, "ann@example.com", "")
			var link string
			if tc.link {
				if _, err := w.customers.RequestToken(t.Context(), newEnv(), commands.MailedToken{AccountID: account, SiteID: 1,
					Email: "ann@example.com", Purpose: customer.PurposePasswordless, Lifetime: time.Hour}); err != nil {
					t.Fatal(err)
				}
				link = w.issued(t, id)
			}
			if _, err := tc.signIn(t, account, link, newEnv()); err != nil {
				t.Fatal(err)
			}
			before := streamOf(t, w.store, id)
			// when they sign in three more times, one of them retried (the same command twice)
			retried := newEnv()
			var results []commands.CustomerResult
			for _, env := range []commands.Envelope{newEnv(), retried, retried, newEnv()} {
				result, err := tc.signIn(t, account, link, env)
				if err != nil {
					t.Fatal(err)
				}
				results = append(results, result)
			}
			// then the customer's stream did not grow
			if after := streamOf(t, w.store, id); len(after) != len(before) {
				t.Fatalf("the sign-ins grew the customer's stream from %d to %d events, the last a %s", len(before), len(after),
					after[len(after)-1].Type)
			}
			// and the sign-in stream holds one record per sign-in, the retry's once, each answer waiting for its own
			records := signInsOf(t, w.store, id)
			if len(records) != 4 {
				t.Fatalf("the sign-in stream holds %d records, want 4", len(records))
			}
			for j, r := range records[1:] {
				want := results[j]
				if j >= 2 {
					want = results[j+1]
				}
				if r.Position != want.Position {
					t.Fatalf("record %d at %s, the sign-in answered %s", j+1, r.Position, want.Position)
				}
				decoded, err := customer.Events.Decode(r.Type, 1, r.Data)
				if login, ok := decoded.(customer.LoggedIn); err != nil || !ok || login.Method != tc.method || login.CustomerID != id {
					t.Fatalf("record %d = %#v, %v; want a %s sign-in of customer %d", j+1, decoded, err, tc.method, id)
				}
			}
			if results[1].Position != results[2].Position {
				t.Fatalf("the retry answered %s, the sign-in it repeats %s", results[2].Position, results[1].Position)
			}
		})
	}
}

func TestConcurrentSignInsOfOneCustomerAreAllRecorded(t *testing.T) {
	t.Parallel()
	// given a customer
	w := newCustomerWorld(t)
	id := w.register(t, "ann@example.com", "")
	// when they sign in from eight devices at once
	const devices = 8
	var wg sync.WaitGroup
	errs := make(chan error, devices)
	for range devices {
		wg.Go(func() {
			_, err := w.customers.Login(t.Context(), newEnv(), commands.Credentials{AccountID: 1, SiteID: 1,
				Email: "ann@example.com", Password: "Secret-123"})
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("a concurrent sign-in failed: %v", err)
		}
	}
	// then every sign-in is recorded, none twice
	if records := signInsOf(t, w.store, id); len(records) != devices {
		t.Fatalf("the sign-in stream holds %d records, want %d", len(records), devices)
	}
}

func TestASignInRetriedAfterALostAcknowledgementIsRecordedOnce(t *testing.T) {
	t.Parallel()
	// given a customer, and a store that loses the acknowledgement of the next append
	store := &lostAckStore{Store: newStore(t), failure: errors.New("connection reset")}
	store.lost.Store(true)
	w := newCustomerWorldOn(t, store)
	id := w.register(t, "ann@example.com", "")
	store.lost.Store(false)
	login := commands.Credentials{AccountID: 1, SiteID: 1, Email: "ann@example.com", Password: "Secret-123"}
	// when a sign-in's record is written but its caller told it failed, and the caller retries it
	env := newEnv()
	if _, err := w.customers.Login(t.Context(), env, login); err == nil {
		t.Fatal("the first attempt succeeded; the store was to lose its acknowledgement")
	}
	retried, err := w.customers.Login(t.Context(), env, login)
	if err != nil {
		t.Fatal(err)
	}
	// then the sign-in is recorded once, where the retry says
	records := signInsOf(t, w.store, id)
	if len(records) != 1 || records[0].Position != retried.Position {
		t.Fatalf("%d records, the last at %s; the retry answered %s; want the one record", len(records),
			records[len(records)-1].Position, retried.Position)
	}
}

// signInsOf reads a customer's sign-in stream (none when it does not exist).
func signInsOf(t *testing.T, store eventstore.Store, id int64) []eventstore.RecordedEvent {
	t.Helper()
	events, err := store.ReadStream(t.Context(), fmt.Sprint(customer.SignInStreamPrefix, id), eventstore.Forwards,
		eventstore.StreamStart(), 1000)
	if err != nil && !errors.Is(err, eventstore.ErrStreamNotFound) {
		t.Fatal(err)
	}
	return events
}
