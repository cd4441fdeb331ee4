package mail

import (
	"fmt"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/projections/projectiontest"
)

func TestQueueAndList(t *testing.T) {
	t.Parallel()
	db := projectiontest.ReadModels(t)
	// given three messages queued (the second twice, as a redelivered event would) and one of them sent
	a, b, c := message(1, issuedAt), message(2, issuedAt.Add(time.Minute)), message(3, issuedAt.Add(2*time.Minute))
	queue(t, db, a, b, b, c)
	if _, err := db.ExecContext(t.Context(), `UPDATE mail_outbox SET status = 'sent' WHERE id = $1`, b.ID); err != nil {
		t.Fatalf("mark sent: %v", err)
	}

	cases := []struct {
		name string
		opts ListOptions
		want string
	}{
		{"all, newest first", ListOptions{}, "[c3@example.com c2@example.com c1@example.com]"},
		{"limited", ListOptions{Limit: 2}, "[c3@example.com c2@example.com]"},
		{"by status", ListOptions{Status: StatusPending}, "[c3@example.com c1@example.com]"},
		{"a status nothing has", ListOptions{Status: StatusMailbox}, "[]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// when listed
			got, err := List(t.Context(), db, tc.opts)
			if err != nil {
				t.Fatalf("List: %v", err)
			}
			// then each queued message shows once, in order
			recipients := []string{}
			for _, s := range got {
				recipients = append(recipients, s.Recipient)
			}
			if fmt.Sprint(recipients) != tc.want {
				t.Fatalf("List(%+v) = %v, want %s", tc.opts, recipients, tc.want)
			}
		})
	}
}
