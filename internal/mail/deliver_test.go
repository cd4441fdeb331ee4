package mail

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/pelcro-oss/pelcro-api/projections/projectiontest"
)

// fakeSender records what it is handed and fails while failures remain.
type fakeSender struct {
	mu       sync.Mutex
	failures int
	sent     []Message
}

func (s *fakeSender) Send(_ context.Context, m Message) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.failures > 0 {
		s.failures--
		return errors.New("451 try again later")
	}
	s.sent = append(s.sent, m)
	return nil
}

func (s *fakeSender) recipients() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []string
	for _, m := range s.sent {
		out = append(out, m.Recipient)
	}
	return out
}

// clock is a settable time for the Deliverer.
type clock struct{ now time.Time }

func (c *clock) Now() time.Time           { return c.now }
func (c *clock) advance(d time.Duration)  { c.now = c.now.Add(d) }
func newClock(start time.Time) *clock     { return &clock{now: start} }
func message(n int, at time.Time) Message { return messageTo(fmt.Sprintf("c%d@example.com", n), at) }
func messageTo(to string, at time.Time) Message {
	return Message{ID: uuid.New(), SiteID: 7, CustomerID: 42, Kind: "passwordless", Recipient: to,
		Subject: "Your sign-in link", Body: "https://daily.example.com/?view=passwordless-login&token=42.x\n", CreatedAt: at}
}

func queue(t *testing.T, db *sqlx.DB, messages ...Message) {
	t.Helper()
	for _, m := range messages {
		if err := Queue(t.Context(), db, m); err != nil {
			t.Fatalf("queue: %v", err)
		}
	}
}

func stored(t *testing.T, db *sqlx.DB, id uuid.UUID) Stored {
	t.Helper()
	all, err := List(t.Context(), db, ListOptions{Limit: 1000})
	if err != nil {
		t.Fatalf("list: %v", err)
	}
	for _, s := range all {
		if s.ID == id {
			return s
		}
	}
	t.Fatalf("message %s is not in the outbox", id)
	return Stored{}
}

func TestDelivererSendsDueMessagesOnce(t *testing.T) {
	t.Parallel()
	db := projectiontest.ReadModels(t)
	c := newClock(issuedAt.Add(time.Minute))
	sender := &fakeSender{}
	d := &Deliverer{DB: db, Sender: sender, Now: c.Now}
	// given two queued messages
	first, second := message(1, issuedAt), message(2, issuedAt.Add(time.Second))
	queue(t, db, first, second)

	// when the deliverer runs two passes
	for range 2 {
		if _, err := d.DeliverDue(t.Context()); err != nil {
			t.Fatalf("DeliverDue: %v", err)
		}
	}

	// then each was sent once, oldest first, with its body, and is marked sent without it (the link stays in
	// the mail only)
	if got := fmt.Sprint(sender.recipients()); got != "[c1@example.com c2@example.com]" {
		t.Fatalf("sent to %s", got)
	}
	s := stored(t, db, first.ID)
	if s.Status != StatusSent || s.Attempts != 1 || s.SentAt == nil || !s.SentAt.Equal(c.now) || s.Body != "" {
		t.Fatalf("stored = %+v, want sent once at %v, body cleared", s, c.now)
	}
	if len(sender.sent) != 2 || sender.sent[0].Body != first.Body {
		t.Fatalf("sent = %+v, want the first message with its body first", sender.sent)
	}
}

func TestDelivererRetriesAFailureWithBackoffUntilSent(t *testing.T) {
	t.Parallel()
	db := projectiontest.ReadModels(t)
	c := newClock(issuedAt)
	sender := &fakeSender{failures: 2}
	d := &Deliverer{DB: db, Sender: sender, Now: c.Now, Backoff: Backoff{Initial: time.Minute, Max: time.Hour}}
	m := message(1, issuedAt)
	queue(t, db, m)

	// given a first attempt that fails
	if _, err := d.DeliverDue(t.Context()); err == nil {
		t.Fatal("DeliverDue hid the failed send")
	}
	s := stored(t, db, m.ID)
	if s.Status != StatusPending || s.Attempts != 1 || s.LastError != "451 try again later" ||
		!s.NextAttemptAt.Equal(issuedAt.Add(time.Minute)) {
		t.Fatalf("after one failure: %+v, want pending, 1 attempt, the error, next attempt in 1 minute", s)
	}
	// when the deliverer passes again before the backoff ends, then nothing is attempted
	c.advance(59 * time.Second)
	if n, err := d.DeliverDue(t.Context()); n != 0 || err != nil {
		t.Fatalf("before the backoff ended: %d attempts, %v", n, err)
	}
	// when it fails again, then the backoff doubles
	c.advance(time.Second)
	_, _ = d.DeliverDue(t.Context())
	if s = stored(t, db, m.ID); s.Attempts != 2 || !s.NextAttemptAt.Equal(c.now.Add(2*time.Minute)) {
		t.Fatalf("after two failures: %+v, want next attempt in 2 minutes", s)
	}
	// when the next attempt succeeds, then the message is sent once and keeps its history
	c.advance(2 * time.Minute)
	if _, err := d.DeliverDue(t.Context()); err != nil {
		t.Fatalf("DeliverDue: %v", err)
	}
	s = stored(t, db, m.ID)
	if s.Status != StatusSent || s.Attempts != 3 || s.LastError == "" || len(sender.recipients()) != 1 {
		t.Fatalf("after success: %+v, %d sent", s, len(sender.recipients()))
	}
}

func TestBackoffDoublesUpToItsCap(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		backoff  Backoff
		failures int
		want     time.Duration
	}{
		{"first failure", Backoff{Initial: 10 * time.Second, Max: time.Hour}, 1, 10 * time.Second},
		{"second failure", Backoff{Initial: 10 * time.Second, Max: time.Hour}, 2, 20 * time.Second},
		{"fifth failure", Backoff{Initial: 10 * time.Second, Max: time.Hour}, 5, 160 * time.Second},
		{"ninth failure", Backoff{Initial: 10 * time.Second, Max: time.Hour}, 9, 2560 * time.Second},
		{"tenth failure reaches the cap", Backoff{Initial: 10 * time.Second, Max: time.Hour}, 10, time.Hour},
		{"the thousandth stays there", Backoff{Initial: 10 * time.Second, Max: time.Hour}, 1000, time.Hour},
		{"zero values take the defaults", Backoff{}, 3, 40 * time.Second},
		{"an initial delay above the cap is capped", Backoff{Initial: time.Hour, Max: time.Minute}, 1, time.Minute},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a backoff, when a message failed that many times, then the next attempt waits this long
			if got := tc.backoff.after(tc.failures); got != tc.want {
				t.Errorf("after %d failures: %v, want %v", tc.failures, got, tc.want)
			}
		})
	}
}

func TestDelivererWithoutSenderKeepsMessagesInTheMailbox(t *testing.T) {
	t.Parallel()
	db := projectiontest.ReadModels(t)
	c := newClock(issuedAt)
	m := message(1, issuedAt)
	queue(t, db, m)

	// when a deliverer with no SMTP server passes
	if _, err := (&Deliverer{DB: db, Now: c.Now}).DeliverDue(t.Context()); err != nil {
		t.Fatalf("DeliverDue: %v", err)
	}

	// then the message is kept in the mailbox, with its body, and lists under that status
	got, err := List(t.Context(), db, ListOptions{Status: StatusMailbox})
	if err != nil || len(got) != 1 || got[0].ID != m.ID || got[0].Body != m.Body {
		t.Fatalf("mailbox = %+v, %v; want the message", got, err)
	}
}

func TestConcurrentDeliverersSendEachMessageOnce(t *testing.T) {
	t.Parallel()
	db := projectiontest.ReadModels(t)
	sender := &fakeSender{}
	const messages = 20
	for i := range messages {
		queue(t, db, message(i, issuedAt))
	}

	// when three deliverers (as in three API processes) pass at the same time
	var wg sync.WaitGroup
	errs := make(chan error, 3)
	for range 3 {
		wg.Go(func() {
			_, err := (&Deliverer{DB: db, Sender: sender}).DeliverDue(t.Context())
			errs <- err
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("DeliverDue: %v", err)
		}
	}

	// then every message was sent exactly once
	seen := map[string]int{}
	for _, r := range sender.recipients() {
		seen[r]++
	}
	if len(seen) != messages || len(sender.recipients()) != messages {
		t.Fatalf("sent %d messages to %d recipients, want %d each once", len(sender.recipients()), len(seen), messages)
	}
}

func TestRunDeliversUntilCancelled(t *testing.T) {
	t.Parallel()
	db := projectiontest.ReadModels(t)
	sender := &fakeSender{}
	ctx, cancel := context.WithCancel(t.Context())
	done := make(chan error, 1)
	go func() { done <- (&Deliverer{DB: db, Sender: sender, Poll: 10 * time.Millisecond}).Run(ctx) }()

	// when a message is queued while the deliverer runs, then it is sent
	queue(t, db, message(1, time.Now()))
	deadline := time.Now().Add(10 * time.Second)
	for len(sender.recipients()) == 0 && time.Now().Before(deadline) {
		time.Sleep(10 * time.Millisecond)
	}
	cancel()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	if len(sender.recipients()) != 1 {
		t.Fatalf("sent %d messages, want 1", len(sender.recipients()))
	}
}

func TestDelivererDoesNotSendAnExpiredLink(t *testing.T) {
	t.Parallel()
	db := projectiontest.ReadModels(t)
	c := newClock(issuedAt.Add(2 * time.Hour))
	sender := &fakeSender{}
	// given a message whose link stopped working an hour ago and one whose link still works
	stale, fresh := message(1, issuedAt), message(2, issuedAt)
	stale.ExpiresAt, fresh.ExpiresAt = issuedAt.Add(time.Hour), issuedAt.Add(3*time.Hour)
	queue(t, db, stale, fresh)

	// when the deliverer passes
	if _, err := (&Deliverer{DB: db, Sender: sender, Now: c.Now}).DeliverDue(t.Context()); err != nil {
		t.Fatalf("DeliverDue: %v", err)
	}

	// then only the working link is sent; the other is kept, marked expired
	if got := fmt.Sprint(sender.recipients()); got != "[c2@example.com]" {
		t.Fatalf("sent to %s", got)
	}
	if s := stored(t, db, stale.ID); s.Status != StatusExpired || s.Attempts != 0 || !s.ExpiresAt.Equal(stale.ExpiresAt) {
		t.Fatalf("stale message = %+v, want kept as expired, never attempted", s)
	}
}
