package commands_test

import (
	"strconv"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// TestAVisitorWhoRegistersOrSignsInActsAsThatCustomer: nobody is signed in when a visitor registers or signs
// in, yet the customer is who acts; the audit's "who" used to read "unknown" for both.
func TestAVisitorWhoRegistersOrSignsInActsAsThatCustomer(t *testing.T) {
	t.Parallel()
	w := newCustomerWorld(t)
	// given a visitor who registers, then signs in with the password and with a mailed link, all without an
	// actor
	id := w.register(t, "visitor@example.com", "")
	if _, err := w.customers.Login(t.Context(), newEnv(), commands.Credentials{AccountID: 1, SiteID: 1,
		Email: "visitor@example.com", Password: "Secret-123"}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.customers.RequestToken(t.Context(), newEnv(), commands.MailedToken{AccountID: 1, SiteID: 1,
		Email: "visitor@example.com", Purpose: customer.PurposePasswordless, Lifetime: time.Hour}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.customers.LoginWithToken(t.Context(), newEnv(), commands.TokenUse{AccountID: 1, SiteID: 1,
		Token: w.issued(t, id)}); err != nil {
		t.Fatal(err)
	}
	// and another who signs in with an identity provider for the first time (registered by it)
	google, err := w.customers.SignInWithIdentity(t.Context(), newEnv(), commands.IdentitySignIn{AccountID: 1,
		SiteID: 1, Provider: "google", Subject: "g-newcomer", Email: "newcomer@example.com", EmailVerified: true})
	if err != nil {
		t.Fatal(err)
	}
	assertActsAsThemselves(t, w, id)
	assertActsAsThemselves(t, w, google.CustomerID)
}

// assertActsAsThemselves checks that every event of the customer's own and sign-in streams names them as
// its actor, but a mailed link's issue: anybody may ask for a link to an address, so who asked is unknown.
func assertActsAsThemselves(t *testing.T, w *customerWorld, id int64) {
	t.Helper()
	want := "customer:" + strconv.FormatInt(id, 10)
	for _, stream := range []string{"customer-", "customer_signins-"} {
		events, err := w.store.ReadStream(t.Context(), stream+strconv.FormatInt(id, 10), eventstore.Forwards,
			eventstore.StreamStart(), 100)
		if err != nil || len(events) == 0 {
			t.Fatalf("%s: %d events, %v", stream, len(events), err)
		}
		// then every event names the customer as its actor
		for _, e := range events {
			if e.Type == "customer.one_time_token_issued" {
				continue
			}
			if md, err := aggregates.ParseMetadata(e.Metadata); err != nil || md.Actor != want {
				t.Errorf("%s %s: actor %q, %v; want %q", stream, e.Type, md.Actor, err, want)
			}
		}
	}
}
