package commands_test

import (
	"errors"
	"testing"

	"github.com/pelcro-oss/pelcro-api/commands"
)

func TestLoginLockoutCountsPerAccount(t *testing.T) {
	t.Parallel()
	w := newCustomerWorld(t)
	const wrong, right = "Wrong-123", "Secret-123"
	type attempt struct {
		email, username, password string
		// times repeats the attempt; wantErr is what the last one gives
		times   int
		wantErr error
	}
	cases := []struct {
		name     string
		attempts []attempt
	}{
		{name: "guesses by email and by username add up to one limit", attempts: []attempt{
			{email: "ann@example.com", password: wrong, times: 5, wantErr: commands.ErrInvalidCredentials},
			{username: "ANN", password: wrong, times: 5, wantErr: commands.ErrInvalidCredentials},
			{email: "ann@example.com", password: right, times: 1, wantErr: commands.ErrTooManyLoginAttempts},
			{username: "ann", password: right, times: 1, wantErr: commands.ErrTooManyLoginAttempts},
		}},
		{name: "an unknown email locks after as many guesses as a known one", attempts: []attempt{
			{email: "nobody@example.com", password: wrong, times: 10, wantErr: commands.ErrInvalidCredentials},
			{email: "nobody@example.com", password: wrong, times: 1, wantErr: commands.ErrTooManyLoginAttempts},
			{username: "nobody", password: wrong, times: 1, wantErr: commands.ErrInvalidCredentials},
		}},
		{name: "an unknown username locks after as many guesses as a known one", attempts: []attempt{
			{username: "nobody", password: wrong, times: 10, wantErr: commands.ErrInvalidCredentials},
			{username: "nobody", password: wrong, times: 1, wantErr: commands.ErrTooManyLoginAttempts},
		}},
		{name: "a success by username clears the guesses by email", attempts: []attempt{
			{email: "ann@example.com", password: wrong, times: 9, wantErr: commands.ErrInvalidCredentials},
			{username: "ann", password: right, times: 1},
			{email: "ann@example.com", password: wrong, times: 9, wantErr: commands.ErrInvalidCredentials},
			{email: "ann@example.com", password: right, times: 1},
		}},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a customer with an email and a username, in an account of the case's own
			account := int64(100 + i)
			w.registerIn(t, account, "ann@example.com", "Ann")
			for _, a := range tc.attempts {
				// when the attempts are made
				var err error
				for range a.times {
					_, err = w.customers.Login(t.Context(), newEnv(), commands.Credentials{AccountID: account, SiteID: 1,
						Email: a.email, Username: a.username, Password: a.password})
				}
				// then the last one gives what the lockout of the account (or of the unknown login) says
				if !errors.Is(err, a.wantErr) {
					t.Fatalf("login %+v ×%d = %v, want %v", a, a.times, err, a.wantErr)
				}
			}
		})
	}
}
