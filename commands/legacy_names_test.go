package commands_test

import (
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/aggregates/reservation"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/personaldata/personaldatatest"
)

// writeAsBefore appends events to a stream the way the code before keyed names wrote them.
func writeAsBefore(t *testing.T, store eventstore.Store, stream string, registry *aggregates.Registry, events ...any) {
	t.Helper()
	if _, err := store.Append(t.Context(), stream, eventstore.Any(), personaldatatest.Encode(t, registry, events...)...); err != nil {
		t.Fatalf("append to %s: %v", stream, err)
	}
}

// streamTypes returns the event types of a stream, oldest first (none when it does not exist).
func streamTypes(t *testing.T, store eventstore.Store, stream string) []string {
	t.Helper()
	events, err := store.ReadStream(t.Context(), stream, eventstore.Forwards, eventstore.StreamStart(), 100)
	if err != nil && !errors.Is(err, eventstore.ErrStreamNotFound) {
		t.Fatal(err)
	}
	types := make([]string, len(events))
	for i, e := range events {
		types[i] = e.Type
	}
	return types
}

func TestACustomerRegisteredBeforeKeyedNamesKeepsSigningInAndHoldingTheirEmail(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	w := newCustomerWorld(t)
	// Given a customer registered before keyed names: claims under the SHA-256 names, then the customer
	hash, err := w.customers.Passwords.Hash(ctx, "Secret-123")
	if err != nil {
		t.Fatal(err)
	}
	const id = 9001
	claimedAt := w.now.Add(-24 * time.Hour)
	emailClaim := "reservation-customer_email-" + commands.LegacyReservationKey(1, "old@example.com")
	writeAsBefore(t, w.store, emailClaim, reservation.Events, reservation.Claimed{OwnerID: id, ClaimedAt: claimedAt})
	writeAsBefore(t, w.store, "reservation-customer_username-"+commands.LegacyReservationKey(1, "old_one"),
		reservation.Events, reservation.Claimed{OwnerID: id, ClaimedAt: claimedAt})
	writeAsBefore(t, w.store, "customer-9001", customer.Events, customer.Registered{CustomerID: id, AccountID: 1,
		SiteID: 1, Email: "old@example.com", Username: "Old_One", PasswordHash: hash, Method: customer.MethodPassword,
		RegisteredAt: claimedAt})

	// When they sign in by email or by username, then they are found
	for _, login := range []commands.Credentials{{Email: "Old@example.com"}, {Username: "old_one"}} {
		login.AccountID, login.SiteID, login.Password = 1, 1, "Secret-123"
		if got, err := w.customers.Login(ctx, newEnv(), login); err != nil || got.CustomerID != id {
			t.Fatalf("Login(%+v) = %+v, %v; want customer %d", login, got, err, id)
		}
	}
	// And their email and username stay theirs
	if _, err := w.customers.Register(ctx, newEnv(), commands.Registration{AccountID: 1, SiteID: 1,
		Email: "old@example.com", Password: "Secret-123"}); !errors.Is(err, commands.ErrEmailTaken) {
		t.Fatalf("registering their email = %v, want ErrEmailTaken", err)
	}
	if _, err := w.customers.Register(ctx, newEnv(), commands.Registration{AccountID: 1, SiteID: 1,
		Email: "other@example.com", Username: "OLD_ONE", Password: "Secret-123"}); !errors.Is(err, commands.ErrUsernameTaken) {
		t.Fatalf("registering their username = %v, want ErrUsernameTaken", err)
	}

	// When they change their email, then the old one is released under its keyed name and is free again
	newEmail := "new@example.com"
	if _, err := w.customers.UpdateProfile(ctx, newEnv(), commands.ProfileUpdate{
		Target: commands.Target{CustomerID: id, AccountID: 1, SiteID: 1}, Email: &newEmail}); err != nil {
		t.Fatalf("UpdateProfile: %v", err)
	}
	w.register(t, "old@example.com", "")
	// And the old stream was never written again: the keyed stream took the claim over
	if got := streamTypes(t, w.store, emailClaim); !slices.Equal(got, []string{"reservation.claimed"}) {
		t.Fatalf("old claim stream = %v, want it untouched", got)
	}
	keyed, _ := testNames.ReservationStream(commands.EmailScope, 1, "old@example.com")
	want := []string{"reservation.claimed", "reservation.released", "reservation.claimed"}
	if got := streamTypes(t, w.store, keyed); !slices.Equal(got, want) {
		t.Fatalf("keyed claim stream = %v, want %v (adopted, released, claimed by the new customer)", got, want)
	}
	// And nothing in it links it to the old name
	events, err := w.store.ReadStream(ctx, keyed, eventstore.Forwards, eventstore.StreamStart(), 10)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range events {
		if strings.Contains(string(e.Data)+string(e.Metadata), commands.LegacyReservationKey(1, "old@example.com")) {
			t.Fatalf("the keyed stream names the old one: %s %s", e.Data, e.Metadata)
		}
	}
}

func TestANewsletterEntryWrittenBeforeKeyedNamesIsStillFound(t *testing.T) {
	t.Parallel()
	ctx := t.Context()
	store := newStore(t)
	n := commands.Newsletters{Store: store, Names: testNames, Now: newsletterClock}
	// Given an entry subscribed before keyed names
	legacy := "newsletter-" + commands.LegacyNewsletterID(newsletter.EntryKey(1232, "ann@example.com"))
	keyed, _ := testNames.NewsletterStream(1232, "ann@example.com")
	writeAsBefore(t, store, legacy, newsletter.Events, newsletter.Subscribed{SiteID: 1232, Email: "ann@example.com",
		Details: newsletter.Details{FirstName: "Ann"}, SubscribedAt: newsletterClock()})

	// Then subscribing the email again is refused, and updates and deletes go to the entry's stream
	if _, err := n.Subscribe(ctx, newEnv(), newsletter.Subscribe{SiteID: 1232, Email: "ANN@example.com"}); !errors.Is(err, newsletter.ErrAlreadySubscribed) {
		t.Fatalf("Subscribe = %v, want ErrAlreadySubscribed", err)
	}
	lee := "Lee"
	if _, err := n.Update(ctx, newEnv(), newsletter.Update{SiteID: 1232, Email: "ann@example.com",
		Changes: newsletter.Patch{LastName: &lee}}); err != nil {
		t.Fatalf("Update: %v", err)
	}
	if _, err := n.Unsubscribe(ctx, newEnv(), newsletter.Unsubscribe{SiteID: 1232, Email: "ann@example.com"}); err != nil {
		t.Fatalf("Unsubscribe: %v", err)
	}
	// When the email subscribes again, then the new entry starts on the keyed stream
	if _, err := n.Subscribe(ctx, newEnv(), newsletter.Subscribe{SiteID: 1232, Email: "ann@example.com"}); err != nil {
		t.Fatalf("Subscribe again: %v", err)
	}
	// When the email is erased, then both streams end with the erasure
	if _, err := n.Erase(ctx, newEnv(), 1232, "ann@example.com"); err != nil {
		t.Fatalf("Erase: %v", err)
	}
	for stream, want := range map[string][]string{
		legacy: {"newsletter.subscribed", "newsletter.updated", "newsletter.unsubscribed", "newsletter.erased"},
		keyed:  {"newsletter.subscribed", "newsletter.erased"},
	} {
		if got := streamTypes(t, store, stream); !slices.Equal(got, want) {
			t.Errorf("%s = %v, want %v", stream, got, want)
		}
	}
	// And an email the site never had cannot be erased
	if _, err := n.Erase(ctx, newEnv(), 1232, "nobody@example.com"); !errors.Is(err, newsletter.ErrNotSubscribed) {
		t.Fatalf("Erase of an unknown email = %v, want ErrNotSubscribed", err)
	}
}
