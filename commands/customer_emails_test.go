package commands_test

import (
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/reservation"
	"github.com/pelcro-oss/pelcro-api/commands"
)

// storeLegacyCustomer writes, as the code before the email rules did, a customer registered with email
// (already trimmed and lower-cased, as it was stored) and the claim on it, bypassing today's rules.
func (w *customerWorld) storeLegacyCustomer(t *testing.T, id int64, email string) {
	t.Helper()
	hash, err := w.customers.Passwords.Hash(t.Context(), "Secret-123")
	if err != nil {
		t.Fatal(err)
	}
	claim := func(reservation.State) ([]reservation.Event, error) {
		return []reservation.Event{reservation.Claimed{OwnerID: id, ClaimedAt: w.now}}, nil
	}
	stream, err := testNames.ReservationStream(commands.EmailScope, 1, email)
	if err != nil {
		t.Fatal(err)
	}
	key := strings.TrimPrefix(stream, commands.ReservationAggregate.StreamPrefix)
	if _, err := commands.Handle(t.Context(), w.store, commands.ReservationAggregate, key, newEnv(), claim); err != nil {
		t.Fatal(err)
	}
	register := func(customer.State) ([]customer.Event, error) {
		return []customer.Event{customer.Registered{CustomerID: id, AccountID: 1, SiteID: 1, Email: email,
			PasswordHash: hash, Method: customer.MethodPassword, RegisteredAt: w.now}}, nil
	}
	if _, err := commands.Handle(t.Context(), w.store, commands.CustomerAggregate, strconv.FormatInt(id, 10), newEnv(), register); err != nil {
		t.Fatal(err)
	}
}

func TestEmailsStoredBeforeTheLookalikeRulesKeepTheirClaims(t *testing.T) {
	t.Parallel()
	// given customers stored with emails today's rules refuse (fullwidth letters, a decomposed accent) but
	// that hold no format character
	w := newCustomerWorld(t)
	stored := map[int64]string{9001: "ａｎｎ@example.com", 9002: "jose\u0301@example.com"}
	for id, email := range stored {
		w.storeLegacyCustomer(t, id, email)
	}
	for id, email := range stored {
		// when they sign in with their email, typed in any case
		got, err := w.customers.Login(t.Context(), newEnv(), commands.Credentials{AccountID: 1, SiteID: 1,
			Email: " " + strings.ToUpper(email) + " ", Password: "Secret-123"})
		// then their claim is found under the same key: they are signed in
		if err != nil || got.CustomerID != id {
			t.Errorf("login of %q = %+v, %v; want customer %d", email, got, err, id)
		}
		// and nobody can register the same spelling again
		_, err = w.customers.Register(t.Context(), newEnv(), commands.Registration{AccountID: 1, SiteID: 1, Email: email,
			Password: "Secret-123"})
		if !errors.Is(err, customer.ErrInvalid) && !errors.Is(err, commands.ErrEmailTaken) {
			t.Errorf("registering %q again = %v, want a refusal", email, err)
		}
	}
}

func TestLookalikesWithInvisibleCharactersAreTheSameEmail(t *testing.T) {
	t.Parallel()
	// given Ann
	w := newCustomerWorld(t)
	ann := w.register(t, "ann@example.com", "")
	w.now = w.now.Add(time.Minute)
	for _, lookalike := range []string{"ann\u200b@example.com", "\ufeffAnn@example.com", "an\u00adn@exam\u200cple.com"} {
		// when a lookalike registers, then the email is taken
		_, err := w.customers.Register(t.Context(), newEnv(), commands.Registration{AccountID: 1, SiteID: 1,
			Email: lookalike, Password: "Secret-123"})
		if !errors.Is(err, commands.ErrEmailTaken) {
			t.Errorf("register %q = %v, want the email taken", lookalike, err)
		}
		// and a reset asked for the lookalike goes to Ann
		got, err := w.customers.RequestToken(t.Context(), newEnv(), commands.MailedToken{AccountID: 1, SiteID: 1,
			Email: lookalike, Purpose: customer.PurposePasswordReset, Lifetime: time.Hour})
		if err != nil || got.CustomerID != ann {
			t.Errorf("reset for %q = %+v, %v; want Ann (%d)", lookalike, got, err, ann)
		}
	}
}
