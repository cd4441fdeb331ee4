package commands_test

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/auth"
)

func TestPasswordlessTokenSignsInUntilItExpires(t *testing.T) {
	t.Parallel()
	// given a customer who asked for a passwordless link valid one day
	w := newCustomerWorld(t)
	id := w.register(t, "ann@example.com", "")
	request := commands.MailedToken{AccountID: 1, SiteID: 1, Email: "ANN@example.com",
		Purpose: customer.PurposePasswordless, Lifetime: 24 * time.Hour}
	if _, err := w.customers.RequestToken(t.Context(), newEnv(), request); err != nil {
		t.Fatal(err)
	}
	token := w.issued(t, id)
	use := commands.TokenUse{AccountID: 1, SiteID: 1, Token: token}
	// when the token is used twice, then both sign the customer in (rule 8: reusable)
	for range 2 {
		got, err := w.customers.LoginWithToken(t.Context(), newEnv(), use)
		if err != nil || got.CustomerID != id {
			t.Fatalf("LoginWithToken = %+v, %v", got, err)
		}
	}
	// when it is forged, used in another account, or used after it expired, then it is refused
	forged := use
	forged.Token = token[:len(token)-1] + "A"
	if forged.Token == token {
		forged.Token = token[:len(token)-1] + "B"
	}
	otherAccount := use
	otherAccount.AccountID = 2
	for name, attempt := range map[string]commands.TokenUse{"forged": forged, "other account": otherAccount,
		"garbage": {AccountID: 1, SiteID: 1, Token: "nope"}} {
		if _, err := w.customers.LoginWithToken(t.Context(), newEnv(), attempt); !errors.Is(err, customer.ErrTokenInvalid) {
			t.Errorf("%s token = %v, want ErrTokenInvalid", name, err)
		}
	}
	w.now = w.now.Add(25 * time.Hour)
	if _, err := w.customers.LoginWithToken(t.Context(), newEnv(), use); !errors.Is(err, customer.ErrTokenInvalid) {
		t.Fatalf("expired token = %v", err)
	}
	// when an unknown email asks, then it is told so (rule 6: this endpoint reveals it)
	request.Email = "bob@example.com"
	if _, err := w.customers.RequestToken(t.Context(), newEnv(), request); !errors.Is(err, commands.ErrCustomerNotFound) {
		t.Fatalf("unknown email = %v", err)
	}
}

func TestTokenRequestsAreThrottledPerHour(t *testing.T) {
	t.Parallel()
	// given a customer who asked for 5 reset links within the hour
	w := newCustomerWorld(t)
	w.register(t, "ann@example.com", "")
	request := commands.MailedToken{AccountID: 1, SiteID: 1, Email: "ann@example.com",
		Purpose: customer.PurposePasswordReset, Lifetime: time.Hour}
	for range 5 {
		if _, err := w.customers.RequestToken(t.Context(), newEnv(), request); err != nil {
			t.Fatal(err)
		}
		w.now = w.now.Add(time.Minute)
	}
	// when a sixth is asked, then it is refused; an hour later it is given
	if _, err := w.customers.RequestToken(t.Context(), newEnv(), request); !errors.Is(err, customer.ErrThrottled) {
		t.Fatalf("sixth request = %v", err)
	}
	w.now = w.now.Add(time.Hour)
	if _, err := w.customers.RequestToken(t.Context(), newEnv(), request); err != nil {
		t.Fatalf("an hour later = %v", err)
	}
}

func TestPasswordResetIsSingleUseAndBoundToTheEmail(t *testing.T) {
	t.Parallel()
	// given a customer holding a reset link
	w := newCustomerWorld(t)
	id := w.register(t, "ann@example.com", "")
	if _, err := w.customers.RequestToken(t.Context(), newEnv(), commands.MailedToken{AccountID: 1, SiteID: 1,
		Email: "ann@example.com", Purpose: customer.PurposePasswordReset, Lifetime: time.Hour}); err != nil {
		t.Fatal(err)
	}
	reset := commands.PasswordResetRequest{TokenUse: commands.TokenUse{AccountID: 1, SiteID: 1, Token: w.issued(t, id)},
		Email: "ann@example.com", Password: "Brand-new-1"}
	// when it names another email, then it is refused
	wrong := reset
	wrong.Email = "bob@example.com"
	if _, err := w.customers.ResetPassword(t.Context(), newEnv(), wrong); !errors.Is(err, customer.ErrTokenInvalid) {
		t.Fatalf("other email = %v", err)
	}
	// when it is used, then the new password signs in and the old does not
	if _, err := w.customers.ResetPassword(t.Context(), newEnv(), reset); err != nil {
		t.Fatal(err)
	}
	login := commands.Credentials{AccountID: 1, SiteID: 1, Email: "ann@example.com", Password: "Brand-new-1"}
	if _, err := w.customers.Login(t.Context(), newEnv(), login); err != nil {
		t.Fatalf("login with the new password = %v", err)
	}
	login.Password = "Secret-123"
	if _, err := w.customers.Login(t.Context(), newEnv(), login); !errors.Is(err, commands.ErrInvalidCredentials) {
		t.Fatalf("login with the old password = %v", err)
	}
	// when it is used again, then it is spent (rule 9)
	reset.Password = "Another-one-2"
	if _, err := w.customers.ResetPassword(t.Context(), newEnv(), reset); !errors.Is(err, customer.ErrTokenInvalid) {
		t.Fatalf("second use = %v", err)
	}
}

func TestEmailVerificationConfirmsTheCurrentEmailOnly(t *testing.T) {
	t.Parallel()
	// given a customer who asked for a verification link, then changed email
	w := newCustomerWorld(t)
	id := w.register(t, "ann@example.com", "")
	target := commands.Target{CustomerID: id, AccountID: 1, SiteID: 1}
	if _, err := w.customers.RequestVerification(t.Context(), newEnv(), commands.VerificationRequest{Target: target, Lifetime: 7 * 24 * time.Hour}); err != nil {
		t.Fatal(err)
	}
	old := w.issued(t, id)
	email := "ann@new.example.com"
	if _, err := w.customers.UpdateProfile(t.Context(), newEnv(), commands.ProfileUpdate{Target: target, Email: &email}); err != nil {
		t.Fatal(err)
	}
	// when the old link is used, then it is refused
	if _, err := w.customers.VerifyEmail(t.Context(), newEnv(), commands.TokenUse{AccountID: 1, Token: old}); !errors.Is(err, customer.ErrTokenInvalid) {
		t.Fatalf("old link = %v", err)
	}
	// when a new link is asked and used, then the email is confirmed and no further link is given
	if _, err := w.customers.RequestVerification(t.Context(), newEnv(), commands.VerificationRequest{Target: target, Lifetime: 7 * 24 * time.Hour}); err != nil {
		t.Fatal(err)
	}
	if _, err := w.customers.VerifyEmail(t.Context(), newEnv(), commands.TokenUse{AccountID: 1, Token: w.issued(t, id)}); err != nil {
		t.Fatalf("new link = %v", err)
	}
	if _, err := w.customers.RequestVerification(t.Context(), newEnv(), commands.VerificationRequest{Target: target, Lifetime: time.Hour}); !errors.Is(err, customer.ErrAlreadyVerified) {
		t.Fatalf("request after verification = %v", err)
	}
}

func TestAReusedCommandIDProvesNothing(t *testing.T) {
	t.Parallel()
	// given a customer who registered and signed in with a passwordless link under known command ids
	w := newCustomerWorld(t)
	register := commands.Envelope{CommandID: "victim-register"}
	reg := commands.Registration{AccountID: 1, SiteID: 1, Email: "ann@example.com", Password: "Secret-123"}
	victim, err := w.customers.Register(t.Context(), register, reg)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.customers.RequestToken(t.Context(), newEnv(), commands.MailedToken{AccountID: 1, SiteID: 1,
		Email: "ann@example.com", Purpose: customer.PurposePasswordless, Lifetime: time.Hour}); err != nil {
		t.Fatal(err)
	}
	login := commands.Envelope{CommandID: "victim-login"}
	if _, err := w.customers.LoginWithToken(t.Context(), login, commands.TokenUse{AccountID: 1, SiteID: 1,
		Token: w.issued(t, victim.CustomerID)}); err != nil {
		t.Fatal(err)
	}
	// when someone replays those command ids with a forged token or another password
	forged := fmt.Sprintf("%d.%s", victim.CustomerID, strings.Repeat("A", 43))
	_, errToken := w.customers.LoginWithToken(t.Context(), login, commands.TokenUse{AccountID: 1, SiteID: 1, Token: forged})
	reg.Password = "Guess-456"
	_, errRegister := w.customers.Register(t.Context(), register, reg)
	// then both are refused as if the ids were new
	if !errors.Is(errToken, customer.ErrTokenInvalid) || !errors.Is(errRegister, commands.ErrEmailTaken) {
		t.Fatalf("replayed token login = %v, replayed registration = %v", errToken, errRegister)
	}
	// and the genuine retry of the registration still answers with the customer
	reg.Password = "Secret-123"
	if again, err := w.customers.Register(t.Context(), register, reg); err != nil || again.CustomerID != victim.CustomerID {
		t.Fatalf("genuine retry = %+v, %v", again, err)
	}
}

func TestLoginRehashesAPasswordHashedWithWeakerParameters(t *testing.T) {
	t.Parallel()
	// given a customer whose password was hashed before the parameters were raised
	w := newCustomerWorld(t)
	id := w.register(t, "ann@example.com", "")
	stronger, err := auth.NewHasher(auth.Params{MemoryKiB: 128, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}, 2)
	if err != nil {
		t.Fatal(err)
	}
	w.customers.Passwords = stronger
	login := commands.Credentials{AccountID: 1, SiteID: 1, Email: "ann@example.com", Password: "Secret-123"}
	// when the customer signs in, then the same password is stored under the new parameters
	if _, err := w.customers.Login(t.Context(), newEnv(), login); err != nil {
		t.Fatal(err)
	}
	events, err := w.store.ReadStream(t.Context(), fmt.Sprintf("customer-%d", id), eventstore.Backwards, eventstore.StreamEnd(), 1)
	if err != nil || len(events) != 1 || events[0].Type != "customer.password_rehashed" {
		t.Fatalf("last event = %v, %v; want customer.password_rehashed", events, err)
	}
	decoded, err := customer.Events.Decode(events[0].Type, 1, events[0].Data)
	if err != nil || stronger.NeedsRehash(decoded.(customer.PasswordRehashed).PasswordHash) {
		t.Fatalf("rehashed = %v, %v; want a hash of the current parameters", decoded, err)
	}
	// and the password still signs in, with nothing more to upgrade: the customer's stream stays as it was
	if _, err := w.customers.Login(t.Context(), newEnv(), login); err != nil {
		t.Fatalf("login after the rehash = %v", err)
	}
	after, _ := w.store.ReadStream(t.Context(), fmt.Sprintf("customer-%d", id), eventstore.Backwards, eventstore.StreamEnd(), 1)
	if len(after) != 1 || after[0].ID != events[0].ID {
		t.Fatalf("second login appended %v to the customer's stream", after)
	}
}

func TestARetriedRedemptionNeedsATokenStillGood(t *testing.T) {
	t.Parallel()
	// given a passwordless login that landed with a token valid one hour
	w := newCustomerWorld(t)
	id := w.register(t, "ann@example.com", "")
	if _, err := w.customers.RequestToken(t.Context(), newEnv(), commands.MailedToken{AccountID: 1, SiteID: 1,
		Email: "ann@example.com", Purpose: customer.PurposePasswordless, Lifetime: time.Hour}); err != nil {
		t.Fatal(err)
	}
	use := commands.TokenUse{AccountID: 1, SiteID: 1, Token: w.issued(t, id)}
	env := newEnv()
	if _, err := w.customers.LoginWithToken(t.Context(), env, use); err != nil {
		t.Fatal(err)
	}
	// when the same request is retried within the hour, then it answers as before
	if _, err := w.customers.LoginWithToken(t.Context(), env, use); err != nil {
		t.Fatalf("retry within the hour = %v", err)
	}
	// when it is retried after the token expired, then it is refused
	w.now = w.now.Add(2 * time.Hour)
	if _, err := w.customers.LoginWithToken(t.Context(), env, use); !errors.Is(err, customer.ErrTokenInvalid) {
		t.Fatalf("retry after expiry = %v, want ErrTokenInvalid", err)
	}
}
