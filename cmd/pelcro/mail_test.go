package main

import (
	"strings"
	"testing"
	"time"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/internal/mail"
	"github.com/pelcro-oss/pelcro-api/internal/pg"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest/migratedtest"
)

// givenOutbox makes a database whose outbox holds a message to ann (kept in the mailbox) and a newer one to
// bob (pending after a failed attempt), and returns its URL.
func givenOutbox(t *testing.T) string {
	t.Helper()
	databaseURL := migratedtest.NewDatabase(t)
	db, err := pg.Open(t.Context(), databaseURL)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer db.Close()
	at := time.Date(2026, 3, 1, 9, 0, 0, 0, time.UTC)
	ann := mail.Message{ID: uuid.New(), SiteID: 7, CustomerID: 1, Kind: "passwordless", Recipient: "ann@example.com",
		Subject: "Your sign-in link for The Daily", Body: "Hello,\n\nhttps://daily.example.com/?view=passwordless-login&token=1.a\n", CreatedAt: at}
	bob := mail.Message{ID: uuid.New(), SiteID: 7, CustomerID: 2, Kind: "password_reset", Recipient: "bob@example.com",
		Subject: "Reset your The Daily password", Body: "Hello,\n\nhttps://daily.example.com/?view=password-reset&token=2.b\n",
		CreatedAt: at.Add(time.Minute)}
	for _, m := range []mail.Message{ann, bob} {
		if err := mail.Queue(t.Context(), db, m); err != nil {
			t.Fatalf("queue: %v", err)
		}
	}
	_, err = db.ExecContext(t.Context(), `UPDATE mail_outbox SET status = CASE id WHEN $1 THEN 'mailbox' ELSE 'pending' END,
		attempts = 1, last_error = CASE id WHEN $2 THEN 'dial failed' ELSE '' END`, ann.ID, bob.ID)
	if err != nil {
		t.Fatalf("set statuses: %v", err)
	}
	return databaseURL
}

func TestMailList(t *testing.T) {
	t.Parallel()
	databaseURL := givenOutbox(t)
	cases := []struct {
		name    string
		args    []string
		want    []string // lines or fragments, in order
		notWant string
	}{
		{"newest first", nil, []string{
			"created (UTC)        status   attempts  recipient        subject",
			"2026-03-01 09:01:00  pending  1         bob@example.com  Reset your The Daily password",
			"2026-03-01 09:00:00  mailbox  1         ann@example.com  Your sign-in link for The Daily",
		}, "view="},
		{"by status", []string{"--status", "mailbox"}, []string{"ann@example.com"}, "bob@example.com"},
		{"limited", []string{"--limit", "1"}, []string{"bob@example.com"}, "ann@example.com"},
		{"with bodies and the last error", []string{"--body"}, []string{
			"2026-03-01 09:01:00  pending  1  bob@example.com  Reset your The Daily password",
			"    last error: dial failed",
			"    https://daily.example.com/?view=password-reset&token=2.b",
			"2026-03-01 09:00:00  mailbox  1  ann@example.com",
			"    https://daily.example.com/?view=passwordless-login&token=1.a",
		}, ""},
		{"a status nothing has", []string{"--status", "sent"}, []string{"no messages"}, "@example.com"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// when the outbox is listed
			out, errOut, err := runPelcro(t, append([]string{"--database-url", databaseURL, "mail", "list"}, tc.args...)...)
			if err != nil {
				t.Fatalf("mail list: %v\n%s", err, errOut)
			}
			// then the messages show in order, and only those asked for
			rest := out
			for _, want := range tc.want {
				i := strings.Index(rest, want)
				if i < 0 {
					t.Fatalf("output lacks %q after the previous lines:\n%s", want, out)
				}
				rest = rest[i+len(want):]
			}
			if tc.notWant != "" && strings.Contains(out, tc.notWant) {
				t.Fatalf("output shows %q:\n%s", tc.notWant, out)
			}
		})
	}
}

func TestMailListRefusesAnUnknownStatus(t *testing.T) {
	t.Parallel()
	// when listed with a status that does not exist (no database is needed to refuse it)
	_, _, err := runPelcro(t, "mail", "list", "--status", "failed")
	// then the command fails and names the valid ones
	if err == nil || !strings.Contains(err.Error(), "[pending sent mailbox expired]") {
		t.Fatalf("err = %v, want the list of statuses", err)
	}
}
