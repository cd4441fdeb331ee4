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

func TestEntryKeyIsPerSiteAndNormalisedEmail(t *testing.T) {
	t.Parallel()
	base := newsletter.EntryKey(1232, "ann@example.com")
	if base != "1232:ann@example.com" {
		t.Fatalf("EntryKey = %q, want 1232:ann@example.com", base)
	}
	if got := newsletter.EntryKey(1232, " ANN@example.com "); got != base {
		t.Fatalf("spellings of one email give %q and %q", got, base)
	}
	if newsletter.EntryKey(1233, "ann@example.com") == base || newsletter.EntryKey(1232, "bob@example.com") == base {
		t.Fatal("another site or email shares the key")
	}
}

func erased() newsletter.Erased { return newsletter.Erased{SiteID: 1232, ErasedAt: deleteTime} }

func erase(s newsletter.State) ([]newsletter.Event, error) { return newsletter.Erase(s, deleteTime) }

func TestErase(t *testing.T) {
	t.Parallel()
	ann := newsletter.Subscribe{SiteID: 1232, Email: "ann@example.com", Details: newsletter.Details{FirstName: "Ann", Source: "footer"}}
	cases := []struct {
		name  string
		given []newsletter.Event
		want  []newsletter.Event
		err   error
	}{
		{"a subscribed entry is erased", []newsletter.Event{subscribed()}, []newsletter.Event{erased()}, nil},
		{"a deleted entry still holds personal data and is erased", []newsletter.Event{subscribed(), unsubscribed()},
			[]newsletter.Event{erased()}, nil},
		{"erasing again changes nothing", []newsletter.Event{subscribed(), erased()}, nil, nil},
		{"an email the site never had is refused", nil, nil, newsletter.ErrNotSubscribed},
		{"an entry subscribed again after an erasure is erased again",
			[]newsletter.Event{subscribed(), erased(), subscribed()}, []newsletter.Event{erased()}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			if c.err != nil {
				entries.Given(c.given...).When(erase).ThenError(t, c.err)
				return
			}
			entries.Given(c.given...).When(erase).Then(t, c.want...)
		})
	}
	t.Run("the same email subscribes again after an erasure", func(t *testing.T) {
		entries.Given(subscribed(), erased()).When(subscribe(ann)).Then(t, subscribed())
	})
	t.Run("an erased entry is not subscribed for updates and deletes", func(t *testing.T) {
		entries.Given(subscribed(), erased()).When(update(newsletter.Patch{FirstName: ptr("Eve")})).ThenError(t, newsletter.ErrNotSubscribed)
		entries.Given(subscribed(), erased()).When(unsubscribe).ThenError(t, newsletter.ErrNotSubscribed)
	})
	t.Run("a history whose key was shredded folds into an erased entry", func(t *testing.T) {
		shredded := []newsletter.Event{newsletter.Subscribed{SiteID: 1232, SubscribedAt: subscribeTime},
			newsletter.Updated{SiteID: 1232, UpdatedAt: updateTime}, newsletter.Unsubscribed{SiteID: 1232, UnsubscribedAt: deleteTime}, erased()}
		entries.Given(shredded...).When(erase).Then(t)
		entries.Given(shredded...).When(subscribe(ann)).Then(t, subscribed())
	})
}
