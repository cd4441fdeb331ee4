package commands_test

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"regexp"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/commands"
)

func TestKeyedStreamNamesCarryNoHashAnyoneCanRecompute(t *testing.T) {
	t.Parallel()
	other, err := commands.NewStreamNames([]byte("another-naming-secret-of-the-tests-0123456789"))
	if err != nil {
		t.Fatal(err)
	}
	sha := func(s string) string { sum := sha256.Sum256([]byte(s)); return hex.EncodeToString(sum[:]) }
	email := "ann@example.com"
	// Every SHA-256 an attacker could compute from a guessed email, whole or cut to the old 32 characters.
	guesses := []string{sha(email), sha("42:" + email), sha("1232:" + email), commands.LegacyReservationKey(42, email),
		commands.LegacyNewsletterID(newsletter.EntryKey(1232, email))}
	names := []struct {
		name string
		of   func(commands.StreamNames) (string, error)
		want *regexp.Regexp
	}{
		{"reservation", func(n commands.StreamNames) (string, error) {
			return n.ReservationStream(commands.EmailScope, 42, email)
		},
			regexp.MustCompile(`^reservation-customer_email-[0-9a-f]{64}$`)},
		{"newsletter", func(n commands.StreamNames) (string, error) { return n.NewsletterStream(1232, " Ann@Example.com ") },
			regexp.MustCompile(`^newsletter-[0-9a-f]{32}$`)},
	}
	for _, c := range names {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			// Given a value's stream name under the deployment's secret
			got, err := c.of(testNames)
			if err != nil || !c.want.MatchString(got) {
				t.Fatalf("name = %q, %v; want %v", got, err, c.want)
			}
			// Then it is stable, and another deployment's secret names it differently
			if again, _ := c.of(testNames); again != got {
				t.Fatalf("the name changed between calls: %q, %q", got, again)
			}
			if elsewhere, _ := c.of(other); elsewhere == got {
				t.Fatal("another secret gives the same name: the name is not keyed")
			}
			// And no SHA-256 of the email, nor a piece of one, nor the email appears in it
			for _, guess := range guesses {
				if strings.Contains(got, guess[:16]) {
					t.Fatalf("name %q contains a piece of the SHA-256 %s", got, guess)
				}
			}
			if strings.Contains(got, "ann") {
				t.Fatalf("name %q spells the email", got)
			}
		})
	}
	t.Run("scopes, accounts and values get names of their own", func(t *testing.T) {
		t.Parallel()
		base, _ := testNames.ReservationStream(commands.EmailScope, 42, email)
		for _, n := range []func() (string, error){
			func() (string, error) { return testNames.ReservationStream(commands.EmailScope, 43, email) },
			func() (string, error) { return testNames.ReservationStream(commands.EmailScope, 4, "2:"+email) },
			func() (string, error) { return testNames.ReservationStream(commands.EmailScope, 42, "Ann@example.com") },
		} {
			if other, _ := n(); other == base {
				t.Fatalf("two values share the name %q", base)
			}
		}
		username, _ := testNames.ReservationStream(commands.UsernameScope, 42, email)
		if strings.TrimPrefix(username, "reservation-customer_username-") == strings.TrimPrefix(base, "reservation-customer_email-") {
			t.Fatal("an email and a username of the same text share a key")
		}
	})
}

func TestStreamNamesNeedASecret(t *testing.T) {
	t.Parallel()
	// A short secret is refused up front
	if _, err := commands.NewStreamNames([]byte("too short")); err == nil {
		t.Fatal("NewStreamNames accepted a 9-byte secret")
	}
	// And commands built without one refuse to name a stream rather than fall back to an unkeyed hash
	if _, err := (commands.StreamNames{}).NewsletterStream(1, "ann@example.com"); !errors.Is(err, commands.ErrNoStreamNames) {
		t.Fatalf("zero StreamNames = %v, want ErrNoStreamNames", err)
	}
	ctx := t.Context()
	store := newStore(t)
	if _, err := (commands.Newsletters{Store: store}).Subscribe(ctx, envelope("s"), newsletter.Subscribe{SiteID: 1, Email: "ann@example.com"}); !errors.Is(err, commands.ErrNoStreamNames) {
		t.Fatalf("Subscribe without names = %v, want ErrNoStreamNames", err)
	}
	if _, _, err := (commands.Reservations{Store: store}).Owner(ctx, commands.EmailScope, 1, "ann@example.com"); !errors.Is(err, commands.ErrNoStreamNames) {
		t.Fatalf("Owner without names = %v, want ErrNoStreamNames", err)
	}
}
