package commands_test

import (
	"context"
	"errors"
	"slices"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

func TestEmailChangeAndItsVerificationLinkAreOneAppend(t *testing.T) {
	t.Parallel()
	w := newCustomerWorld(t)
	cases := []struct {
		name      string
		verifying bool
		// linksBefore are the verification links the customer asked for within the hour before the change
		linksBefore int
		email       string
		want        []string
	}{
		{name: "rule 10: on a site that verifies emails, the new email is sent a link with the change",
			verifying: true, email: "ann.new@example.com",
			want: []string{"customer.email_changed", "customer.one_time_token_issued"}},
		{name: "on a site that does not, the change comes alone", email: "ann.new@example.com",
			want: []string{"customer.email_changed"}},
		{name: "with the hour's links used up, the change stands without one", verifying: true,
			linksBefore: customer.TokensPerHour, email: "ann.new@example.com", want: []string{"customer.email_changed"}},
		{name: "the same email sends no link", verifying: true, email: "ANN@example.com"},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a customer of an account of the case's own, who asked for some links already
			account := int64(200 + i)
			target := commands.Target{CustomerID: w.registerIn(t, account, "ann@example.com", ""), AccountID: account, SiteID: 1}
			for range tc.linksBefore {
				if _, err := w.customers.RequestVerification(t.Context(), newEnv(), commands.VerificationRequest{Target: target, Lifetime: time.Hour}); err != nil {
					t.Fatal(err)
				}
			}
			before := streamOf(t, w.store, target.CustomerID)
			// when the email changes
			result, err := w.customers.UpdateProfile(t.Context(), newEnv(), commands.ProfileUpdate{Target: target,
				Email: &tc.email, VerifyNewEmail: tc.verifying, VerificationLifetime: 7 * 24 * time.Hour})
			if err != nil {
				t.Fatal(err)
			}
			// then the change and its link, if any, were appended together, where the result says
			written := streamOf(t, w.store, target.CustomerID)[len(before):]
			var types []string
			for _, e := range written {
				types = append(types, e.Type)
				if e.Position.Commit != result.Position.Commit {
					t.Fatalf("%s was appended apart from the update's last event (%s, not %s)", e.Type, e.Position, result.Position)
				}
			}
			if !slices.Equal(types, tc.want) {
				t.Fatalf("the update appended %v, want %v", types, tc.want)
			}
			if len(tc.want) < 2 {
				return
			}
			// and the link confirms the new email
			if _, err := w.customers.VerifyEmail(t.Context(), newEnv(), commands.TokenUse{AccountID: account, SiteID: 1,
				Token: w.issued(t, target.CustomerID)}); err != nil {
				t.Fatalf("verify with the mailed link = %v", err)
			}
			if _, err := w.customers.RequestVerification(t.Context(), newEnv(), commands.VerificationRequest{Target: target, Lifetime: time.Hour}); !errors.Is(err, customer.ErrAlreadyVerified) {
				t.Fatalf("a link after verifying = %v, want ErrAlreadyVerified", err)
			}
		})
	}
}

func TestProfileUpdateReadsTheCustomerStreamOnce(t *testing.T) {
	t.Parallel()
	store := &readCountingStore{Store: newStore(t), reads: map[string]int{}}
	w := newCustomerWorldOn(t, store)
	cases := []struct {
		name   string
		update func(*commands.ProfileUpdate)
		// newID: the command's id was drawn for this request (no Idempotency-Key)
		newID bool
		// want: reads of the customer's stream; an email change reads it once more, after its append, to
		// release the old email only if the customer no longer has it
		want int
	}{
		{name: "a profile change", update: func(u *commands.ProfileUpdate) {
			first := "Annie"
			u.Changes.FirstName = &first
		}, want: 1},
		{name: "an email change", update: func(u *commands.ProfileUpdate) {
			email := "ann.new@example.com"
			u.Email = &email
		}, want: 2},
		{name: "a profile change with a new id: decided on the cached state, the append checks it", newID: true,
			update: func(u *commands.ProfileUpdate) {
				first := "Annie"
				u.Changes.FirstName = &first
			}, want: 0},
		{name: "an email change with a new id: its claims are decided on the log", newID: true,
			update: func(u *commands.ProfileUpdate) {
				email := "ann.new@example.com"
				u.Email = &email
			}, want: 2},
	}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a customer whose state the process has folded
			account := int64(300 + i)
			target := commands.Target{CustomerID: w.registerIn(t, account, "ann@example.com", ""), AccountID: account, SiteID: 1}
			stream := "customer-" + strconv.FormatInt(target.CustomerID, 10)
			before := store.readsOf(stream)
			// when the profile is updated
			update := commands.ProfileUpdate{Target: target}
			tc.update(&update)
			env := newEnv()
			env.NewCommandID = tc.newID
			if _, err := w.customers.UpdateProfile(t.Context(), env, update); err != nil {
				t.Fatal(err)
			}
			// then the customer's stream was read no more than needed
			if got := store.readsOf(stream) - before; got != tc.want {
				t.Fatalf("the update read the customer's stream %d times, want %d", got, tc.want)
			}
		})
	}
}

func TestProfileUpdateDecidingOnItsFirstReadStillMeetsAConcurrentWriter(t *testing.T) {
	t.Parallel()
	// given a customer, and a rival that changes the last name right after the update read the stream
	inner := newStore(t)
	store := &rivalUpdateStore{Store: inner}
	w := newCustomerWorldOn(t, store)
	target := commands.Target{CustomerID: w.register(t, "ann@example.com", ""), AccountID: 1, SiteID: 1}
	store.stream = "customer-" + strconv.FormatInt(target.CustomerID, 10)
	store.rival = func(ctx context.Context) error {
		last := "Rival"
		_, err := w.customers.UpdateProfile(ctx, newEnv(), commands.ProfileUpdate{Target: target,
			Changes: customer.ProfilePatch{LastName: &last}})
		return err
	}
	// when the update changes the first name
	first := "Annie"
	if _, err := w.customers.UpdateProfile(t.Context(), newEnv(), commands.ProfileUpdate{Target: target,
		Changes: customer.ProfilePatch{FirstName: &first}}); err != nil {
		t.Fatal(err)
	}
	// then the rival did get in between, and both changes stand: the update lost its first append and decided
	// again on the rival's state instead of overwriting it
	if !store.done {
		t.Fatal("the rival never ran")
	}
	var profile customer.Profile
	for _, e := range streamOf(t, inner, target.CustomerID) {
		decoded, err := customer.Events.Decode(e.Type, 1, e.Data)
		if err != nil {
			t.Fatal(err)
		}
		if changed, ok := decoded.(customer.ProfileChanged); ok {
			profile = changed.Profile
		}
	}
	if profile.FirstName != "Annie" || profile.LastName != "Rival" {
		t.Fatalf("profile after both updates = %+v, want Annie Rival", profile)
	}
}

// streamOf reads a customer's whole stream.
func streamOf(t *testing.T, store eventstore.Store, id int64) []eventstore.RecordedEvent {
	t.Helper()
	events, err := store.ReadStream(t.Context(), "customer-"+strconv.FormatInt(id, 10), eventstore.Forwards,
		eventstore.StreamStart(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	return events
}

// readCountingStore counts the ReadStream calls of each stream.
type readCountingStore struct {
	eventstore.Store
	mu    sync.Mutex
	reads map[string]int
}

func (s *readCountingStore) ReadStream(ctx context.Context, stream string, direction eventstore.Direction,
	from eventstore.StreamFrom, limit int) ([]eventstore.RecordedEvent, error) {
	s.mu.Lock()
	s.reads[stream]++
	s.mu.Unlock()
	return s.Store.ReadStream(ctx, stream, direction, from, limit)
}

func (s *readCountingStore) readsOf(stream string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.reads[stream]
}

// rivalUpdateStore runs rival once, the first time stream is read after it is set, before answering the read:
// whatever decides on that read meets a stream that has moved on.
type rivalUpdateStore struct {
	eventstore.Store
	stream string
	rival  func(context.Context) error
	done   bool
}

func (s *rivalUpdateStore) ReadStream(ctx context.Context, stream string, direction eventstore.Direction,
	from eventstore.StreamFrom, limit int) ([]eventstore.RecordedEvent, error) {
	events, err := s.Store.ReadStream(ctx, stream, direction, from, limit)
	if stream == s.stream && !s.done {
		s.done = true
		if rivalErr := s.rival(ctx); rivalErr != nil {
			return nil, rivalErr
		}
	}
	return events, err
}
