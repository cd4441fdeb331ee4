package customer_test

import (
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
)

func TestAMailedTokenIsWrittenInTheCustomersLanguage(t *testing.T) {
	t.Parallel()
	speaking := func(language string) customer.Registered {
		r := registered()
		r.Profile.Language = language
		return r
	}
	cases := []struct {
		name              string
		stored, requested string
		want              string
	}{
		{"the customer's stored language wins over the request's", "fr", "es", "fr"},
		{"a customer without one gets the request's", "", "es", "es"},
		{"a request without one (a command line) leaves it to the site's default", "", "", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given the customer, when a token is mailed on a request in a language
			events, err := customer.IssueToken(stateOf(speaking(tc.stored)), customer.TokenRequest{SiteID: 1232,
				Purpose: customer.PurposePasswordReset, Nonce: "n", TokenHash: "h", ExpiresAt: now.Add(time.Hour),
				Language: tc.requested}, now)
			// then the event says which language its mail is written in
			if err != nil || len(events) != 1 || events[0].(customer.OneTimeTokenIssued).Language != tc.want {
				t.Fatalf("IssueToken = %+v, %v; want the mail in %q", events, err, tc.want)
			}
		})
	}
}

func TestAThrottledTokenRequestSaysWhenToAskAgain(t *testing.T) {
	t.Parallel()
	within := func(ages ...time.Duration) []customer.Event {
		given := []customer.Event{registered()}
		for i, age := range ages {
			given = append(given, issued(customer.PurposePasswordless, fmt.Sprint("p", i), now.Add(-age)))
		}
		return given
	}
	cases := []struct {
		name  string
		given []customer.Event
		want  time.Duration
	}{
		{"when the oldest of the five is an hour old", within(59*time.Minute, 58*time.Minute, 57*time.Minute, 56*time.Minute, 55*time.Minute), time.Minute},
		{"five in a burst wait the hour out", within(10*time.Second, 10*time.Second, 10*time.Second, 10*time.Second, 10*time.Second), time.Hour - 10*time.Second},
		{"a token older than the hour does not count", within(2*time.Hour, 50*time.Minute, 40*time.Minute, 30*time.Minute, 20*time.Minute, 10*time.Minute), 10 * time.Minute},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given the tokens sent, when a sixth within the hour is asked for
			_, err := customer.IssueToken(stateOf(tc.given...), customer.TokenRequest{SiteID: 1232, Purpose: customer.PurposePasswordless,
				Nonce: "n", TokenHash: "h", ExpiresAt: now.Add(time.Hour)}, now)
			// then it is refused with the wait until another may be sent
			var throttled *customer.ThrottledError
			if !errors.As(err, &throttled) || !errors.Is(err, customer.ErrThrottled) || throttled.RetryAfter != tc.want {
				t.Fatalf("IssueToken = %v, want ErrThrottled retrying after %v", err, tc.want)
			}
		})
	}
}
