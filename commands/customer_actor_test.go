package commands_test

import (
	"strconv"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// TestAVisitorWhoRegistersOrSignsInActsAsThatCustomer: nobody is signed in when a visitor registers or signs
// in, yet the customer is who acts; the audit's "who" used to read "unknown" for both.
func TestAVisitorWhoRegistersOrSignsInActsAsThatCustomer(t *testing.T) {
	t.Parallel()
	w := newCustomerWorld(t)
	// given a visitor who registers, then signs in with the password, both without an actor
	id := w.register(t, "visitor@example.com", "")
	if _, err := w.customers.Login(t.Context(), newEnv(), commands.Credentials{AccountID: 1, SiteID: 1,
		Email: "visitor@example.com", Password: "Secret-123"}); err != nil {
		t.Fatal(err)
	}
	// when their streams are read
	want := "customer:" + strconv.FormatInt(id, 10)
	for _, stream := range []string{"customer-", "customer_signins-"} {
		events, err := w.store.ReadStream(t.Context(), stream+strconv.FormatInt(id, 10), eventstore.Forwards,
			eventstore.StreamStart(), 100)
		if err != nil || len(events) == 0 {
			t.Fatalf("%s: %d events, %v", stream, len(events), err)
		}
		// then every event names the customer as its actor
		for _, e := range events {
			if md, err := aggregates.ParseMetadata(e.Metadata); err != nil || md.Actor != want {
				t.Errorf("%s %s: actor %q, %v; want %q", stream, e.Type, md.Actor, err, want)
			}
		}
	}
}
