package commands_test

import (
	"errors"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/commands"
)

func TestEmailChangeMovesTheClaim(t *testing.T) {
	t.Parallel()
	// given two customers
	w := newCustomerWorld(t)
	ann := w.register(t, "ann@example.com", "ann")
	w.register(t, "bob@example.com", "bob")
	target := commands.Target{CustomerID: ann, AccountID: 1, SiteID: 1}
	// when Ann takes Bob's email or username, then it is refused and nothing changes
	bob := "BOB@example.com"
	if _, err := w.customers.UpdateProfile(t.Context(), newEnv(), commands.ProfileUpdate{Target: target, Email: &bob}); !errors.Is(err, commands.ErrEmailTaken) {
		t.Fatalf("taken email = %v", err)
	}
	bobName := "Bob"
	if _, err := w.customers.UpdateProfile(t.Context(), newEnv(), commands.ProfileUpdate{Target: target, Username: &bobName}); !errors.Is(err, commands.ErrUsernameTaken) {
		t.Fatalf("taken username = %v", err)
	}
	// when Ann changes email and username, then she signs in with the new ones and the old are free
	email, username := "ann@new.example.com", "annie"
	if _, err := w.customers.UpdateProfile(t.Context(), newEnv(), commands.ProfileUpdate{Target: target,
		Email: &email, Username: &username}); err != nil {
		t.Fatal(err)
	}
	if got, err := w.customers.Login(t.Context(), newEnv(), commands.Credentials{AccountID: 1, SiteID: 1,
		Username: "ANNIE", Password: "Secret-123"}); err != nil || got.CustomerID != ann {
		t.Fatalf("login with the new username = %+v, %v", got, err)
	}
	if _, err := w.customers.Login(t.Context(), newEnv(), commands.Credentials{AccountID: 1, SiteID: 1,
		Email: "ann@example.com", Password: "Secret-123"}); !errors.Is(err, commands.ErrInvalidCredentials) {
		t.Fatalf("login with the old email = %v", err)
	}
	w.register(t, "ann@example.com", "ann")
	// when the profile is invalid, then nothing is claimed or changed
	bad, third := "not-an-email", "third@example.com"
	phone := "12"
	_, err := w.customers.UpdateProfile(t.Context(), newEnv(), commands.ProfileUpdate{Target: target, Email: &bad,
		Changes: customer.ProfilePatch{Phone: &phone}})
	var problems customer.Problems
	if !errors.As(err, &problems) || len(problems) != 2 {
		t.Fatalf("invalid update = %v", err)
	}
	if _, err := w.customers.UpdateProfile(t.Context(), newEnv(), commands.ProfileUpdate{Target: target, Email: &third,
		Changes: customer.ProfilePatch{Phone: &phone}}); !errors.As(err, &problems) {
		t.Fatalf("invalid phone = %v", err)
	}
	w.register(t, third, "")
	// when a customer of another account is targeted, then it does not exist
	other := target
	other.AccountID = 2
	if _, err := w.customers.UpdateProfile(t.Context(), newEnv(), commands.ProfileUpdate{Target: other}); !errors.Is(err, customer.ErrNotRegistered) {
		t.Fatalf("other account = %v", err)
	}
}

func TestPasswordUpdateNeedsTheOldPasswordAndANewOne(t *testing.T) {
	t.Parallel()
	w := newCustomerWorld(t)
	target := commands.Target{CustomerID: w.register(t, "ann@example.com", ""), AccountID: 1, SiteID: 1}
	cases := []struct {
		name     string
		old, new string
		wantErr  error
	}{
		{name: "wrong old password", old: "nope", new: "Other-123", wantErr: customer.ErrWrongPassword},
		{name: "same password", old: "Secret-123", new: "Secret-123", wantErr: customer.ErrSamePassword},
		{name: "accepted", old: "Secret-123", new: "Other-123"},
	}
	for _, tc := range cases {
		// when the password is updated
		_, err := w.customers.UpdatePassword(t.Context(), newEnv(), commands.PasswordChange{Target: target,
			OldPassword: tc.old, NewPassword: tc.new})
		// then only the right old password and a different new one are accepted
		if !errors.Is(err, tc.wantErr) {
			t.Fatalf("%s: UpdatePassword = %v, want %v", tc.name, err, tc.wantErr)
		}
	}
	if _, err := w.customers.Login(t.Context(), newEnv(), commands.Credentials{AccountID: 1, SiteID: 1,
		Email: "ann@example.com", Password: "Other-123"}); err != nil {
		t.Fatalf("login with the new password = %v", err)
	}
}

func TestIdentitySignInRegistersOrLinks(t *testing.T) {
	t.Parallel()
	w := newCustomerWorld(t)
	ann := w.register(t, "ann@example.com", "")
	google := func(email string, verified bool) commands.IdentitySignIn {
		return commands.IdentitySignIn{AccountID: 1, SiteID: 1, Provider: "google", Subject: "g-" + email,
			Email: email, EmailVerified: verified, Profile: customer.Profile{FirstName: "Gee",
				Metadata: map[string]any{"picture": "https://example.com/p.png"}}}
	}
	// when an unknown email signs in, then a customer without a password is registered
	created, err := w.customers.SignInWithIdentity(t.Context(), newEnv(), google("new@example.com", true))
	if err != nil || created.CustomerID == ann {
		t.Fatalf("new identity = %+v, %v", created, err)
	}
	if _, err := w.customers.Login(t.Context(), newEnv(), commands.Credentials{AccountID: 1, SiteID: 1,
		Email: "new@example.com", Password: ""}); !errors.Is(err, commands.ErrInvalidCredentials) {
		t.Fatalf("password login of an identity customer = %v", err)
	}
	// when it signs in again, then it is the same customer
	again, err := w.customers.SignInWithIdentity(t.Context(), newEnv(), google("new@example.com", false))
	if err != nil || again.CustomerID != created.CustomerID {
		t.Fatalf("second sign-in = %+v, %v", again, err)
	}
	// when a provider that does not vouch for an existing customer's email signs in, then it is refused
	if _, err := w.customers.SignInWithIdentity(t.Context(), newEnv(), google("ann@example.com", false)); !errors.Is(err, commands.ErrEmailTaken) {
		t.Fatalf("unverified existing email = %v", err)
	}
	// when it vouches for it, then the existing customer is signed in
	linked, err := w.customers.SignInWithIdentity(t.Context(), newEnv(), google("ann@example.com", true))
	if err != nil || linked.CustomerID != ann {
		t.Fatalf("verified existing email = %+v, %v", linked, err)
	}
}

func TestAddressesGetIdsAndBelongToTheirCustomer(t *testing.T) {
	t.Parallel()
	w := newCustomerWorld(t)
	target := commands.Target{CustomerID: w.register(t, "ann@example.com", ""), AccountID: 1, SiteID: 1}
	// when an address is added, then it gets an id the customer can update it by
	_, id, err := w.customers.AddAddress(t.Context(), newEnv(), commands.NewAddress{Target: target,
		Address: customer.Address{Line1: "1 Main St", Country: "ca", State: "QC"}})
	if err != nil || id == 0 {
		t.Fatalf("AddAddress = %d, %v", id, err)
	}
	city := "Montréal"
	if _, err := w.customers.UpdateAddress(t.Context(), newEnv(), commands.AddressUpdate{Target: target, AddressID: id,
		Changes: customer.AddressPatch{City: &city}}); err != nil {
		t.Fatalf("UpdateAddress = %v", err)
	}
	// when an unknown address is updated, or the input breaks rule 25, then it is refused
	if _, err := w.customers.UpdateAddress(t.Context(), newEnv(), commands.AddressUpdate{Target: target, AddressID: id + 100,
		Changes: customer.AddressPatch{City: &city}}); !errors.Is(err, customer.ErrAddressNotFound) {
		t.Fatalf("unknown address = %v", err)
	}
	if _, _, err := w.customers.AddAddress(t.Context(), newEnv(), commands.NewAddress{Target: target,
		Address: customer.Address{Country: "ZZ"}}); !errors.Is(err, customer.ErrInvalid) {
		t.Fatalf("invalid address = %v", err)
	}
	// when the same command is retried, then it answers with the address it added
	env := newEnv()
	add := commands.NewAddress{Target: target, Address: customer.Address{Line1: "2 Side St", Country: "FR"}}
	_, first, errA := w.customers.AddAddress(t.Context(), env, add)
	_, second, errB := w.customers.AddAddress(t.Context(), env, add)
	if errA != nil || errB != nil || first != second {
		t.Fatalf("retried AddAddress = %d %v, %d %v", first, errA, second, errB)
	}
}

func TestRetriedPictureChangeHandsBackItsOwnUnusedFile(t *testing.T) {
	t.Parallel()
	w := newCustomerWorld(t)
	target := commands.Target{CustomerID: w.register(t, "ann@example.com", ""), AccountID: 1, SiteID: 1}
	// given a picture set by a command
	env := newEnv()
	if _, unused, err := w.customers.SetPicture(t.Context(), env, target, "first.png"); err != nil || unused != "" {
		t.Fatalf("first SetPicture = %q, %v", unused, err)
	}
	// when the same command is retried with another upload, then that upload is the file to delete
	if _, unused, err := w.customers.SetPicture(t.Context(), env, target, "retry.png"); err != nil || unused != "retry.png" {
		t.Fatalf("retried SetPicture = %q, %v; want retry.png", unused, err)
	}
	// when a new command replaces the picture, then the old picture is the file to delete
	if _, unused, err := w.customers.SetPicture(t.Context(), newEnv(), target, "second.png"); err != nil || unused != "first.png" {
		t.Fatalf("second SetPicture = %q, %v; want first.png", unused, err)
	}
}

func TestProfileUpdateIsAllOrNothing(t *testing.T) {
	t.Parallel()
	// given Ann and Bob
	w := newCustomerWorld(t)
	ann := w.register(t, "ann@example.com", "ann")
	w.register(t, "bob@example.com", "bob")
	target := commands.Target{CustomerID: ann, AccountID: 1, SiteID: 1}
	email, taken := "ann@new.example.com", "BOB"
	update := commands.ProfileUpdate{Target: target, Email: &email, Username: &taken}
	env := newEnv()
	// when Ann changes her email and takes Bob's username in one update, then nothing changes
	if _, err := w.customers.UpdateProfile(t.Context(), env, update); !errors.Is(err, commands.ErrUsernameTaken) {
		t.Fatalf("update = %v, want ErrUsernameTaken", err)
	}
	if _, err := w.customers.Login(t.Context(), newEnv(), commands.Credentials{AccountID: 1, SiteID: 1,
		Email: "ann@example.com", Password: "Secret-123"}); err != nil {
		t.Fatalf("login with the old email after the refused update = %v", err)
	}
	// and the new email was not kept: someone else may register it
	w.register(t, email, "")
	// when the same request is retried with a free username, then the email, now taken, is refused
	free := "annie"
	update.Username = &free
	if _, err := w.customers.UpdateProfile(t.Context(), env, update); !errors.Is(err, commands.ErrEmailTaken) {
		t.Fatalf("retried update = %v, want ErrEmailTaken", err)
	}
}

func TestReusedUpdateRequestNeverFreesTheCurrentEmail(t *testing.T) {
	t.Parallel()
	// given Ann, who moved from a@ to b@ with request X, then to c@
	w := newCustomerWorld(t)
	ann := w.register(t, "a@example.com", "")
	target := commands.Target{CustomerID: ann, AccountID: 1, SiteID: 1}
	b, c := "b@example.com", "c@example.com"
	x := newEnv()
	for _, step := range []struct {
		env   commands.Envelope
		email *string
	}{{x, &b}, {newEnv(), &c}} {
		if _, err := w.customers.UpdateProfile(t.Context(), step.env, commands.ProfileUpdate{Target: target, Email: step.email}); err != nil {
			t.Fatal(err)
		}
	}
	// when request X is sent again
	if _, err := w.customers.UpdateProfile(t.Context(), x, commands.ProfileUpdate{Target: target, Email: &b}); err != nil {
		t.Fatalf("replayed update = %v", err)
	}
	// then c@ is still Ann's: nobody else can register it
	if _, err := w.customers.Register(t.Context(), newEnv(), commands.Registration{AccountID: 1, SiteID: 1,
		Email: c, Password: "Secret-123"}); !errors.Is(err, commands.ErrEmailTaken) {
		t.Fatalf("registering Ann's current email = %v, want ErrEmailTaken", err)
	}
}
