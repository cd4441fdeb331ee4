package customer_test

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
)

func TestChangeProfile(t *testing.T) {
	t.Parallel()
	changed := func(p customer.Profile) customer.ProfileChanged {
		return customer.ProfileChanged{CustomerID: annID, Profile: p, ChangedAt: now}
	}
	cases := []struct {
		name  string
		patch customer.ProfilePatch
		want  []customer.Event
	}{
		{"given fields change, the others are kept, the whole profile is carried",
			customer.ProfilePatch{LastName: ptr(" Lee "), Phone: ptr("555-0102"), Language: ptr("fr"), EmailHardbounce: ptr(true)},
			[]customer.Event{changed(customer.Profile{FirstName: "Ann", LastName: "Lee", Phone: "5550102", Language: "fr",
				EmailHardbounce: true, Metadata: map[string]any{"tier": "gold", "seats": 2.0}})}},
		{"spec #11: metadata is merged and a null value removes its key",
			customer.ProfilePatch{Metadata: map[string]any{"tier": nil, "team": "blue", "gone": nil}},
			[]customer.Event{changed(customer.Profile{FirstName: "Ann", Language: "en",
				Metadata: map[string]any{"seats": 2.0, "team": "blue"}})}},
		{"removing every metadata key leaves none",
			customer.ProfilePatch{Metadata: map[string]any{"tier": nil, "seats": nil}},
			[]customer.Event{changed(customer.Profile{FirstName: "Ann", Language: "en"})}},
		{"a field can be emptied", customer.ProfilePatch{FirstName: ptr("")},
			[]customer.Event{changed(customer.Profile{Language: "en", Metadata: map[string]any{"tier": "gold", "seats": 2.0}})}},
		{"an unsupported language is stored as en", customer.ProfilePatch{Language: ptr("xx"), Title: ptr("Dr")},
			[]customer.Event{changed(customer.Profile{FirstName: "Ann", Title: "Dr", Language: "en",
				Metadata: map[string]any{"tier": "gold", "seats": 2.0}})}},
		{"a change that changes nothing is a no-op",
			customer.ProfilePatch{FirstName: ptr(" Ann "), Language: ptr("EN"), Metadata: map[string]any{"tier": "gold", "absent": nil}},
			nil},
		{"an empty patch is a no-op", customer.ProfilePatch{}, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			customers.Given(registered()).When(on(customer.ChangeProfile, customer.ProfileChange{Changes: tc.patch})).
				Then(t, tc.want...)
		})
	}
	t.Run("limits apply to changes", func(t *testing.T) {
		t.Parallel()
		events, err := customer.ChangeProfile(stateOf(registered()),
			customer.ProfileChange{Changes: customer.ProfilePatch{Organization: ptr(strings.Repeat("o", 256)), Phone: ptr("12")}}, now)
		wantProblems(t, events, err, customer.Problems{{Field: "organization", Rule: customer.RuleMaxLength, Max: 255},
			{Field: "phone", Rule: customer.RulePhone}})
	})
	t.Run("an unknown customer has no profile", func(t *testing.T) {
		t.Parallel()
		customers.Given().When(on(customer.ChangeProfile, customer.ProfileChange{})).ThenError(t, customer.ErrNotRegistered)
	})
	t.Run("the change does not alter the state it was decided on", func(t *testing.T) {
		t.Parallel()
		s := stateOf(registered())
		if _, err := customer.ChangeProfile(s, customer.ProfileChange{Changes: customer.ProfilePatch{
			Metadata: map[string]any{"tier": nil}}}, now); err != nil {
			t.Fatal(err)
		}
		if s.Profile.Metadata["tier"] != "gold" {
			t.Fatalf("metadata of the given state changed to %v", s.Profile.Metadata)
		}
	})
}

func TestChangeEmail(t *testing.T) {
	t.Parallel()
	verified := customer.EmailVerified{CustomerID: annID, Email: "ann@example.com", VerifiedAt: registerTime}
	t.Run("a new email is recorded normalised", func(t *testing.T) {
		customers.Given(registered()).When(on(customer.ChangeEmail, customer.EmailChange{Email: " Ann@New.example "})).
			Then(t, customer.EmailChanged{CustomerID: annID, Email: "ann@new.example", ChangedAt: now})
	})
	t.Run("the same email, however spelled, is a no-op", func(t *testing.T) {
		customers.Given(registered(), verified).When(on(customer.ChangeEmail, customer.EmailChange{Email: "ANN@example.com"})).Then(t)
	})
	t.Run("a malformed email is refused", func(t *testing.T) {
		customers.Given(registered()).When(on(customer.ChangeEmail, customer.EmailChange{Email: "ann@"})).ThenError(t, customer.ErrInvalid)
	})
	t.Run("an unknown customer is refused", func(t *testing.T) {
		customers.Given().When(on(customer.ChangeEmail, customer.EmailChange{Email: "ann@example.com"})).
			ThenError(t, customer.ErrNotRegistered)
	})
	t.Run("rule 10: a new email is unconfirmed", func(t *testing.T) {
		s := stateOf(registered(), verified, customer.EmailChanged{CustomerID: annID, Email: "ann@new.example", ChangedAt: now})
		if s.EmailConfirmed || s.Email != "ann@new.example" || !s.UpdatedAt.Equal(now) {
			t.Fatalf("after a change: email %q confirmed %v updated %v", s.Email, s.EmailConfirmed, s.UpdatedAt)
		}
	})
}

func TestChangeEmailOnASiteThatVerifiesEmails(t *testing.T) {
	t.Parallel()
	// the link PUT /customer asks for; the purpose given is overruled: it can only be a verification link
	link := &customer.TokenRequest{SiteID: 1233, Purpose: customer.PurposePasswordless, Nonce: "n-v", TokenHash: "h-v",
		ExpiresAt: now.Add(7 * 24 * time.Hour)}
	changed := customer.EmailChanged{CustomerID: annID, Email: "ann@new.example", ChangedAt: now}
	mailed := customer.OneTimeTokenIssued{CustomerID: annID, SiteID: 1233, Purpose: customer.PurposeEmailVerification,
		Email: "ann@new.example", Nonce: "n-v", TokenHash: "h-v", ExpiresAt: now.Add(7 * 24 * time.Hour), IssuedAt: now,
		Language: "en"}
	hourOfLinks := []customer.Event{registered()}
	for i := range customer.TokensPerHour {
		hourOfLinks = append(hourOfLinks, issued(customer.PurposeEmailVerification, fmt.Sprint("v", i), now.Add(-time.Duration(i+1)*time.Minute)))
	}
	cases := []struct {
		name  string
		given []customer.Event
		email string
		want  []customer.Event
	}{
		{"rule 10: the new email is sent a verification link with the change", []customer.Event{registered()},
			"Ann@New.example", []customer.Event{changed, mailed}},
		{"a confirmed email changed is sent one too", []customer.Event{registered(), confirmed},
			"ann@new.example", []customer.Event{changed, mailed}},
		{"the same email, however spelled, sends none", []customer.Event{registered()}, "ANN@example.com", nil},
		{"with the hour's links used up, the change stands without one", hourOfLinks, "ann@new.example",
			[]customer.Event{changed}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given the history, when the email changes with a link asked for, then the change comes with it
			customers.Given(tc.given...).
				When(on(customer.ChangeEmail, customer.EmailChange{Email: tc.email, Verification: link})).
				Then(t, tc.want...)
		})
	}
}

func TestChangeUsername(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name     string
		username string
		want     []customer.Event
	}{
		{"a new username is recorded in its display form", " Ann-2 ",
			[]customer.Event{customer.UsernameChanged{CustomerID: annID, Username: "Ann-2", ChangedAt: now}}},
		{"a change of case is recorded", "ann_lee",
			[]customer.Event{customer.UsernameChanged{CustomerID: annID, Username: "ann_lee", ChangedAt: now}}},
		{"an empty username removes it", "",
			[]customer.Event{customer.UsernameChanged{CustomerID: annID, ChangedAt: now}}},
		{"the same username is a no-op", "Ann_Lee", nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			customers.Given(registered()).When(on(customer.ChangeUsername, customer.UsernameChange{Username: tc.username})).
				Then(t, tc.want...)
		})
	}
	t.Run("rule 4: a username with other characters is refused", func(t *testing.T) {
		t.Parallel()
		customers.Given(registered()).When(on(customer.ChangeUsername, customer.UsernameChange{Username: "ann.lee"})).
			ThenError(t, customer.ErrInvalid)
	})
}

func TestPicture(t *testing.T) {
	t.Parallel()
	set := customer.PictureSet{CustomerID: annID, File: "a1.png", SetAt: registerTime}
	cases := []struct {
		name   string
		given  []customer.Event
		decide decision
		want   []customer.Event
	}{
		{"rule 11: a new photo replaces the old one", []customer.Event{registered(), set},
			on(customer.SetPicture, customer.PictureUpload{File: "b2.jpg"}),
			[]customer.Event{customer.PictureSet{CustomerID: annID, File: "b2.jpg", SetAt: now}}},
		{"the same file again is a no-op", []customer.Event{registered(), set},
			on(customer.SetPicture, customer.PictureUpload{File: "a1.png"}), nil},
		{"a photo is removed", []customer.Event{registered(), set},
			func(s customer.State) ([]customer.Event, error) { return customer.RemovePicture(s, now) },
			[]customer.Event{customer.PictureRemoved{CustomerID: annID, RemovedAt: now}}},
		{"removing a photo the customer does not have is a no-op", []customer.Event{registered()},
			func(s customer.State) ([]customer.Event, error) { return customer.RemovePicture(s, now) }, nil},
		{"removing twice is a no-op the second time",
			[]customer.Event{registered(), set, customer.PictureRemoved{CustomerID: annID, RemovedAt: now}},
			func(s customer.State) ([]customer.Event, error) { return customer.RemovePicture(s, now) }, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			customers.Given(tc.given...).When(tc.decide).Then(t, tc.want...)
		})
	}
	t.Run("a file is required", func(t *testing.T) {
		t.Parallel()
		customers.Given(registered()).When(on(customer.SetPicture, customer.PictureUpload{})).ThenError(t, customer.ErrInvalid)
	})
	t.Run("an unknown customer has no photo to remove", func(t *testing.T) {
		t.Parallel()
		customers.Given().When(func(s customer.State) ([]customer.Event, error) { return customer.RemovePicture(s, now) }).
			ThenError(t, customer.ErrNotRegistered)
	})
}

func TestMetadataIsBounded(t *testing.T) {
	t.Parallel()
	many := map[string]any{}
	for i := range customer.MaxMetadataKeys + 1 {
		many[fmt.Sprint("k", i)] = i
	}
	cases := []struct {
		name     string
		metadata map[string]any
		refused  bool
	}{
		{name: "a few keys", metadata: map[string]any{"team": "blue"}},
		{name: "too many keys", metadata: many, refused: true},
		{name: "too many bytes", metadata: map[string]any{"blob": strings.Repeat("x", customer.MaxMetadataBytes)}, refused: true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// when a profile carries the metadata, then only oversized metadata is a problem
			problems := customer.Profile{Metadata: tc.metadata}.Problems()
			if refused := slices.Contains(problems, customer.Problem{Field: "metadata", Rule: customer.RuleMetadataSize}); refused != tc.refused {
				t.Fatalf("problems = %v, want refused %v", problems, tc.refused)
			}
		})
	}
}
