package commands_test

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/commands"
)

func TestLoginFindsTheCustomerAndHidesWhichPartWasWrong(t *testing.T) {
	t.Parallel()
	// given a customer registered with an email and a username
	w := newCustomerWorld(t)
	id := w.register(t, "Ann@Example.com", "Ann_1")
	cases := []struct {
		name    string
		login   commands.Credentials
		wantErr error
	}{
		{name: "email, any case", login: commands.Credentials{Email: " ANN@example.com", Password: "Secret-123"}},
		{name: "username, any case", login: commands.Credentials{Username: "ann_1", Password: "Secret-123"}},
		{name: "wrong password", login: commands.Credentials{Email: "ann@example.com", Password: "secret-123"}, wantErr: commands.ErrInvalidCredentials},
		{name: "unknown email", login: commands.Credentials{Email: "bob@example.com", Password: "Secret-123"}, wantErr: commands.ErrInvalidCredentials},
		{name: "unknown username", login: commands.Credentials{Username: "bob", Password: "Secret-123"}, wantErr: commands.ErrInvalidCredentials},
		{name: "another account", login: commands.Credentials{AccountID: 2, Email: "ann@example.com", Password: "Secret-123"}, wantErr: commands.ErrInvalidCredentials},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			if tc.login.AccountID == 0 {
				tc.login.AccountID = 1
			}
			tc.login.SiteID = 1
			// when the customer signs in
			got, err := w.customers.Login(t.Context(), newEnv(), tc.login)
			// then the customer is found, or every failure is the same error
			if !errors.Is(err, tc.wantErr) || (err == nil && got.CustomerID != id) {
				t.Fatalf("Login = %+v, %v; want customer %d, %v", got, err, id, tc.wantErr)
			}
		})
	}
}

func TestConcurrentRegistrationsOfOneEmailMakeOneCustomer(t *testing.T) {
	t.Parallel()
	// given 50 registrations of one email racing
	w := newCustomerWorld(t)
	var wg sync.WaitGroup
	errs := make([]error, 50)
	for i := range errs {
		wg.Go(func() {
			_, errs[i] = w.customers.Register(t.Context(), newEnv(), commands.Registration{AccountID: 1, SiteID: 1,
				Email: "race@example.com", Password: "Secret-123"})
		})
	}
	wg.Wait()
	// then exactly one succeeds and the others are told the email is taken
	var ok, taken int
	for _, err := range errs {
		switch {
		case err == nil:
			ok++
		case errors.Is(err, commands.ErrEmailTaken):
			taken++
		default:
			t.Errorf("unexpected error: %v", err)
		}
	}
	if ok != 1 || taken != 49 {
		t.Fatalf("%d registered, %d taken; want 1 and 49", ok, taken)
	}
}

func TestRegistrationRulesPerAccount(t *testing.T) {
	t.Parallel()
	w := newCustomerWorld(t)
	first := w.register(t, "ann@example.com", "ann")
	// when the very same command is sent again, then it answers with the customer it created
	env := newEnv()
	reg := commands.Registration{AccountID: 1, SiteID: 1, Email: "cy@example.com", Password: "Secret-123"}
	a, errA := w.customers.Register(t.Context(), env, reg)
	b, errB := w.customers.Register(t.Context(), env, reg)
	if errA != nil || errB != nil || a.CustomerID != b.CustomerID || a.Position != b.Position {
		t.Fatalf("retried registration = %+v %v, %+v %v", a, errA, b, errB)
	}
	// when another account registers the same email, then it is a different customer
	other, err := w.customers.Register(t.Context(), newEnv(), commands.Registration{AccountID: 2, SiteID: 9,
		Email: "ann@example.com", Password: "Secret-123"})
	if err != nil || other.CustomerID == first {
		t.Fatalf("other account = %+v, %v", other, err)
	}
	// when a registration takes a free email but a taken username, then it fails and frees the email
	_, err = w.customers.Register(t.Context(), newEnv(), commands.Registration{AccountID: 1, SiteID: 1,
		Email: "dan@example.com", Username: "ANN", Password: "Secret-123"})
	if !errors.Is(err, commands.ErrUsernameTaken) {
		t.Fatalf("taken username = %v", err)
	}
	w.register(t, "dan@example.com", "")
	// when the input is invalid, then every problem comes back and nothing is claimed
	_, err = w.customers.Register(t.Context(), newEnv(), commands.Registration{AccountID: 1, SiteID: 1,
		Email: "not-an-email", Username: "bad name", Password: "Secret-123"})
	var problems customer.Problems
	if !errors.As(err, &problems) || len(problems) != 2 {
		t.Fatalf("invalid registration = %v", err)
	}
}

func TestStaleEmailClaimIsTakenOverAfterTheGracePeriod(t *testing.T) {
	t.Parallel()
	// given an email claimed by a registration that crashed before writing its customer
	w := newCustomerWorld(t)
	err := w.customers.Reservations.Claim(t.Context(), newEnv(), commands.EmailScope, 1, "lost@example.com", 999_999,
		nil)
	if err != nil {
		t.Fatal(err)
	}
	// when the email registers within the grace period, then it is still taken
	reg := commands.Registration{AccountID: 1, SiteID: 1, Email: "lost@example.com", Password: "Secret-123"}
	if _, err := w.customers.Register(t.Context(), newEnv(), reg); !errors.Is(err, commands.ErrEmailTaken) {
		t.Fatalf("within grace = %v", err)
	}
	// when it registers after the grace period, then the stale claim is taken over
	w.now = w.now.Add(2 * time.Minute)
	if _, err := w.customers.Register(t.Context(), newEnv(), reg); err != nil {
		t.Fatalf("after grace = %v", err)
	}
}
