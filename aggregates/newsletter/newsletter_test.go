package newsletter_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/aggtest"
	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
)

var (
	entries       = aggtest.For(newsletter.Events, newsletter.Evolve)
	subscribeTime = time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)
	updateTime    = time.Date(2025, 3, 2, 9, 0, 0, 0, time.UTC)
	deleteTime    = time.Date(2025, 3, 3, 9, 0, 0, 0, time.UTC)
)

func ptr(s string) *string { return &s }

func subscribed() newsletter.Subscribed {
	return newsletter.Subscribed{SiteID: 1232, Email: "ann@example.com",
		Details: newsletter.Details{FirstName: "Ann", Source: "footer"}, SubscribedAt: subscribeTime}
}

func unsubscribed() newsletter.Unsubscribed {
	return newsletter.Unsubscribed{SiteID: 1232, Email: "ann@example.com", UnsubscribedAt: deleteTime}
}

func subscribe(c newsletter.Subscribe) func(newsletter.State) ([]newsletter.Event, error) {
	return func(s newsletter.State) ([]newsletter.Event, error) {
		return newsletter.SubscribeEntry(s, c, subscribeTime)
	}
}

func update(p newsletter.Patch) func(newsletter.State) ([]newsletter.Event, error) {
	return func(s newsletter.State) ([]newsletter.Event, error) {
		return newsletter.UpdateEntry(s, newsletter.Update{SiteID: 1232, Email: "ann@example.com", Changes: p}, updateTime)
	}
}

func unsubscribe(s newsletter.State) ([]newsletter.Event, error) {
	return newsletter.UnsubscribeEntry(s, newsletter.Unsubscribe{SiteID: 1232, Email: "ann@example.com"}, deleteTime)
}

func TestSubscribe(t *testing.T) {
	t.Parallel()
	ann := newsletter.Subscribe{SiteID: 1232, Email: "  Ann@Example.COM ",
		Details: newsletter.Details{FirstName: "Ann", Source: "FOOTER"}}

	t.Run("a new email is subscribed, normalised, source lower-cased", func(t *testing.T) {
		entries.Given().When(subscribe(ann)).Then(t, subscribed())
	})
	t.Run("rule 26: one entry per email per site", func(t *testing.T) {
		entries.Given(subscribed()).When(subscribe(ann)).ThenError(t, newsletter.ErrAlreadySubscribed)
	})
	t.Run("a deleted entry can subscribe again", func(t *testing.T) {
		entries.Given(subscribed(), unsubscribed()).When(subscribe(ann)).Then(t, subscribed())
	})
	t.Run("invalid input is refused before the duplicate check", func(t *testing.T) {
		entries.Given(subscribed()).When(subscribe(newsletter.Subscribe{SiteID: 1232})).ThenError(t, newsletter.ErrInvalid)
	})
}

func TestSubscribeReportsEveryProblem(t *testing.T) {
	t.Parallel()
	long := func(n int) string { return strings.Repeat("é", n) }
	cases := []struct {
		name    string
		command newsletter.Subscribe
		want    newsletter.Problems
	}{
		{"email missing", newsletter.Subscribe{Email: "   "},
			newsletter.Problems{{Field: "email", Rule: newsletter.RuleRequired}}},
		{"email malformed", newsletter.Subscribe{Email: "ann-at-example.com"},
			newsletter.Problems{{Field: "email", Rule: newsletter.RuleEmail}}},
		{"display name is not an address", newsletter.Subscribe{Email: "Ann <ann@example.com>"},
			newsletter.Problems{{Field: "email", Rule: newsletter.RuleEmail}}},
		{"limits counted in characters", newsletter.Subscribe{Email: "ann@example.com", Details: newsletter.Details{
			FirstName: long(256), LastName: long(256), PostalCode: long(11),
			ConsentURL: long(201), ConsentType: long(101), ConsentIP: long(101)}},
			newsletter.Problems{
				{Field: "first_name", Rule: newsletter.RuleMaxLength, Max: 255},
				{Field: "last_name", Rule: newsletter.RuleMaxLength, Max: 255},
				{Field: "postal_code", Rule: newsletter.RuleMaxLength, Max: 10},
				{Field: "consent_url", Rule: newsletter.RuleMaxLength, Max: 200},
				{Field: "consent_type", Rule: newsletter.RuleMaxLength, Max: 100},
				{Field: "consent_ip", Rule: newsletter.RuleMaxLength, Max: 100},
			}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a new entry, when the command breaks rules
			events, err := newsletter.SubscribeEntry(newsletter.State{}, tc.command, subscribeTime)
			// then every broken rule is reported and nothing happens
			var got newsletter.Problems
			if !errors.As(err, &got) || !errors.Is(err, newsletter.ErrInvalid) || len(events) > 0 {
				t.Fatalf("SubscribeEntry = %v, %v; want Problems only", events, err)
			}
			if len(got) != len(tc.want) {
				t.Fatalf("problems = %v, want %v", got, tc.want)
			}
			for i := range got {
				if got[i] != tc.want[i] {
					t.Fatalf("problems = %v, want %v", got, tc.want)
				}
			}
		})
	}
	t.Run("limits are inclusive", func(t *testing.T) {
		t.Parallel()
		atLimit := newsletter.Subscribe{Email: "ann@example.com", Details: newsletter.Details{FirstName: long(255), PostalCode: long(10)}}
		if _, err := newsletter.SubscribeEntry(newsletter.State{}, atLimit, subscribeTime); err != nil {
			t.Fatalf("values at the limit refused: %v", err)
		}
	})
}

func TestUpdate(t *testing.T) {
	t.Parallel()
	t.Run("given fields change, others are kept, the whole entry is carried", func(t *testing.T) {
		entries.Given(subscribed()).When(update(newsletter.Patch{LastName: ptr("Lee"), Source: ptr("Web"), ConsentIP: ptr("10.0.0.1")})).
			Then(t, newsletter.Updated{SiteID: 1232, Email: "ann@example.com", UpdatedAt: updateTime,
				Details: newsletter.Details{FirstName: "Ann", LastName: "Lee", Source: "web", ConsentIP: "10.0.0.1"}})
	})
	t.Run("a field can be emptied", func(t *testing.T) {
		entries.Given(subscribed()).When(update(newsletter.Patch{FirstName: ptr("")})).
			Then(t, newsletter.Updated{SiteID: 1232, Email: "ann@example.com", UpdatedAt: updateTime,
				Details: newsletter.Details{Source: "footer"}})
	})
	t.Run("an update that changes nothing is a no-op", func(t *testing.T) {
		entries.Given(subscribed()).When(update(newsletter.Patch{FirstName: ptr("Ann"), Source: ptr("FOOTER")})).Then(t)
	})
	t.Run("rule 26: updating a non-subscriber is refused", func(t *testing.T) {
		entries.Given().When(update(newsletter.Patch{FirstName: ptr("Ann")})).ThenError(t, newsletter.ErrNotSubscribed)
	})
	t.Run("updating a deleted entry is refused", func(t *testing.T) {
		entries.Given(subscribed(), unsubscribed()).When(update(newsletter.Patch{})).ThenError(t, newsletter.ErrNotSubscribed)
	})
	t.Run("limits apply to updates", func(t *testing.T) {
		entries.Given(subscribed()).When(update(newsletter.Patch{PostalCode: ptr("12345678901")})).ThenError(t, newsletter.ErrInvalid)
	})
}

func TestUnsubscribe(t *testing.T) {
	t.Parallel()
	t.Run("a subscriber is deleted", func(t *testing.T) {
		entries.Given(subscribed()).When(unsubscribe).Then(t, unsubscribed())
	})
	t.Run("deleting a non-subscriber is refused", func(t *testing.T) {
		entries.Given().When(unsubscribe).ThenError(t, newsletter.ErrNotSubscribed)
	})
	t.Run("deleting twice is refused the second time", func(t *testing.T) {
		entries.Given(subscribed(), unsubscribed()).When(unsubscribe).ThenError(t, newsletter.ErrNotSubscribed)
	})
}

func TestStreamIDIsPerSiteAndNormalisedEmail(t *testing.T) {
	t.Parallel()
	base := newsletter.StreamID(1232, "ann@example.com")
	if got := newsletter.StreamID(1232, " ANN@example.com "); got != base {
		t.Fatalf("spellings of one email give %q and %q", got, base)
	}
	if newsletter.StreamID(1233, "ann@example.com") == base || newsletter.StreamID(1232, "bob@example.com") == base {
		t.Fatal("another site or email shares the stream")
	}
	if strings.Contains(base, "ann") || len(base) != 32 {
		t.Fatalf("stream id %q should be 32 hex characters without the email", base)
	}
}
