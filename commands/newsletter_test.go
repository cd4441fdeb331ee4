package commands_test

import (
	"errors"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

var newsletterClock = func() time.Time { return time.Date(2025, 3, 1, 9, 0, 0, 0, time.FixedZone("CET", 3600)) }

// newsletterStream returns the types of the entry's events, oldest first.
func newsletterStream(t *testing.T, store eventstore.Store, siteID int64, email string) []string {
	t.Helper()
	stream, err := testNames.NewsletterStream(siteID, email)
	if err != nil {
		t.Fatal(err)
	}
	return streamTypes(t, store, stream)
}

func TestNewsletterCommandsOnPostgres(t *testing.T) {
	t.Parallel()
	store := newStore(t)
	n := commands.Newsletters{Store: store, Names: testNames, Now: newsletterClock}
	ctx := t.Context()
	subscribe := newsletter.Subscribe{SiteID: 1232, Email: "Ann@Example.com", Details: newsletter.Details{FirstName: "Ann"}}

	// given a subscription
	first, err := n.Subscribe(ctx, envelope("sub-1"), subscribe)
	if err != nil {
		t.Fatalf("subscribe: %v", err)
	}
	// when the same command is retried, then nothing is written twice and the first result comes back
	again, err := n.Subscribe(ctx, envelope("sub-1"), subscribe)
	if err != nil || again != first {
		t.Fatalf("retried subscribe = %+v, %v; want %+v", again, err, first)
	}
	// when another command subscribes the same email (other spelling), then rule 26 refuses it
	if _, err := n.Subscribe(ctx, envelope("sub-2"), newsletter.Subscribe{SiteID: 1232, Email: " ann@example.COM"}); !errors.Is(err, newsletter.ErrAlreadySubscribed) {
		t.Fatalf("duplicate subscribe: %v, want ErrAlreadySubscribed", err)
	}
	// when the entry is updated and deleted, then the stream holds each fact once
	lee := "Lee"
	if _, err := n.Update(ctx, envelope("upd-1"), newsletter.Update{SiteID: 1232, Email: "ann@example.com",
		Changes: newsletter.Patch{LastName: &lee}}); err != nil {
		t.Fatalf("update: %v", err)
	}
	deleted, err := n.Unsubscribe(ctx, envelope("del-1"), newsletter.Unsubscribe{SiteID: 1232, Email: "ANN@example.com"})
	if err != nil || deleted.Revision != 2 {
		t.Fatalf("unsubscribe = %+v, %v; want revision 2", deleted, err)
	}
	got := newsletterStream(t, store, 1232, "ann@example.com")
	want := []string{"newsletter.subscribed", "newsletter.updated", "newsletter.unsubscribed"}
	if len(got) != len(want) || got[0] != want[0] || got[1] != want[1] || got[2] != want[2] {
		t.Fatalf("stream = %v, want %v", got, want)
	}
	// and the same email on another site is another entry
	if _, err := n.Update(ctx, envelope("upd-2"), newsletter.Update{SiteID: 77, Email: "ann@example.com"}); !errors.Is(err, newsletter.ErrNotSubscribed) {
		t.Fatalf("update on another site: %v, want ErrNotSubscribed", err)
	}
}

func TestNewsletterInvalidEmailWritesNothing(t *testing.T) {
	t.Parallel()
	store := newStore(t)
	n := commands.Newsletters{Store: store, Names: testNames, Now: newsletterClock}
	// when the email is not an address, then the command fails with the problem and no stream exists
	_, err := n.Subscribe(t.Context(), envelope("sub-1"), newsletter.Subscribe{SiteID: 1232, Email: "not-an-email"})
	var problems newsletter.Problems
	if !errors.As(err, &problems) || problems[0].Rule != newsletter.RuleEmail {
		t.Fatalf("subscribe = %v, want the email problem", err)
	}
	if got := newsletterStream(t, store, 1232, "not-an-email"); len(got) != 0 {
		t.Fatalf("stream = %v, want none", got)
	}
}
