package newsletter_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
)

func TestEveryEntryTextRefusesControlCharacters(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name    string
		details newsletter.Details
		want    []string
	}{
		{"issue 8: a NUL in the first name", newsletter.Details{FirstName: "a\x00b"}, []string{"first_name"}},
		{"every field, consent text included", newsletter.Details{LastName: "\x01", PostalCode: "\x7f", Source: "\u0085",
			Lists: "a\x00", ConsentURL: "\x1b", ConsentText: "a\x00b", ConsentType: "\x02", ConsentIP: "\xff"},
			[]string{"last_name", "postal_code", "source", "lists", "consent_url", "consent_text", "consent_type", "consent_ip"}},
		{"line breaks in a single-line field", newsletter.Details{Lists: "a\nb"}, []string{"lists"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// when a subscription carries texts with control characters
			events, err := newsletter.SubscribeEntry(newsletter.State{},
				newsletter.Subscribe{SiteID: 1232, Email: "ann@example.com", Details: tc.details}, subscribeTime)
			// then it is refused with a printable problem on exactly those fields
			var problems newsletter.Problems
			if !errors.As(err, &problems) || len(events) > 0 || len(problems) != len(tc.want) {
				t.Fatalf("SubscribeEntry = %v, %v; want printable problems on %v", events, err, tc.want)
			}
			for i, p := range problems {
				if p.Field != tc.want[i] || p.Rule != newsletter.RulePrintable {
					t.Fatalf("problem %d = %+v, want %s printable", i, p, tc.want[i])
				}
			}
		})
	}
	t.Run("the same texts are refused by an update", func(t *testing.T) {
		t.Parallel()
		entries.Given(subscribed()).When(update(newsletter.Patch{FirstName: ptr("a\x00b")})).ThenError(t, newsletter.ErrInvalid)
	})
}

func TestConsentTextMayHoldLineBreaks(t *testing.T) {
	t.Parallel()
	// given a consent text of several lines, when it is subscribed, then it is kept as given
	consent := "I agree.\r\n\tTerms apply."
	entries.Given().When(subscribe(newsletter.Subscribe{SiteID: 1232, Email: "ann@example.com",
		Details: newsletter.Details{FirstName: "Ann", Source: "footer", ConsentText: consent}})).
		Then(t, newsletter.Subscribed{SiteID: 1232, Email: "ann@example.com", SubscribedAt: subscribeTime,
			Details: newsletter.Details{FirstName: "Ann", Source: "footer", ConsentText: consent}})
}

func TestEntryEmails(t *testing.T) {
	t.Parallel()
	t.Run("a zero-width character makes no second entry", func(t *testing.T) {
		t.Parallel()
		// given ann's entry, when a lookalike with a zero-width space subscribes, then it is the same entry
		if newsletter.EntryKey(1232, "ann\u200b@example.com") != newsletter.EntryKey(1232, "ann@example.com") {
			t.Fatal("the lookalike names another entry")
		}
		entries.Given(subscribed()).When(subscribe(newsletter.Subscribe{SiteID: 1232, Email: "ann\u200b@example.com"})).
			ThenError(t, newsletter.ErrAlreadySubscribed)
	})
	t.Run("emails are at most 255 characters", func(t *testing.T) {
		t.Parallel()
		entries.Given().When(subscribe(newsletter.Subscribe{SiteID: 1232, Email: strings.Repeat("a", 244) + "@example.com"})).
			ThenError(t, newsletter.ErrInvalid)
	})
	t.Run("a fullwidth lookalike is refused", func(t *testing.T) {
		t.Parallel()
		entries.Given().When(subscribe(newsletter.Subscribe{SiteID: 1232, Email: "ａｎｎ@example.com"})).
			ThenError(t, newsletter.ErrInvalid)
	})
}
