package mail

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// Status is where a message of the outbox stands. Warning: the values are stored in mail_outbox.status
// (checked by the table) and given to `pelcro mail list --status`.
type Status string

// The statuses of an outbox message.
const (
	// StatusPending waits for its next delivery attempt (next_attempt_at).
	StatusPending Status = "pending"
	// StatusSent was accepted by the SMTP server.
	StatusSent Status = "sent"
	// StatusMailbox was kept in the development mailbox (this table) because no SMTP server is configured.
	StatusMailbox Status = "mailbox"
	// StatusExpired was not delivered before its link stopped working, and is kept unsent.
	StatusExpired Status = "expired"
)

// Statuses are every Status, for validating a filter.
var Statuses = []Status{StatusPending, StatusSent, StatusMailbox, StatusExpired}

// Queue adds m to the outbox, due at once, inside tx (the projection's transaction). A message with the same
// ID is already queued (the event was delivered again): nothing changes.
func Queue(ctx context.Context, tx sqlx.ExecerContext, m Message) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO mail_outbox (id, site_id, customer_id, kind, recipient, subject,
		body, created_at, expires_at, next_attempt_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $8)
		ON CONFLICT (id) DO NOTHING`,
		m.ID, m.SiteID, m.CustomerID, m.Kind, m.Recipient, m.Subject, m.Body, m.CreatedAt, nullTime(m.ExpiresAt))
	if err != nil {
		return fmt.Errorf("mail: queue %s: %w", m.ID, err)
	}
	return nil
}

// Forget deletes every message of the customer, whatever its status: the customer was erased, and the
// outbox must not keep their address nor send them anything.
func Forget(ctx context.Context, db sqlx.ExecerContext, customerID int64) error {
	if _, err := db.ExecContext(ctx, `DELETE FROM mail_outbox WHERE customer_id = $1`, customerID); err != nil {
		return fmt.Errorf("mail: forget customer %d: %w", customerID, err)
	}
	return nil
}

// ForgetAddressedTo deletes every message of the site sent to one of emails (normalised), whoever sent it:
// the mail others had sent to an erased customer (a membership's invitation belongs to its owner) must not
// keep the erased address in its recipient and body.
//
// Warning: an address the erased customer gave up may belong to another customer of the site now; the mail
// sent to it is that customer's (a password reset, a receipt, an invitation), so an address some other
// customer of the site holds is left alone. The erased customer's own row must be gone, or be excluded by
// erased, for their current address to count as theirs.
func ForgetAddressedTo(ctx context.Context, db sqlx.ExecerContext, siteID, erased int64, emails []string) error {
	if len(emails) == 0 {
		return nil
	}
	if _, err := db.ExecContext(ctx, `DELETE FROM mail_outbox WHERE site_id = $1 AND lower(btrim(recipient)) = ANY($2)
		AND lower(btrim(recipient)) NOT IN (
			SELECT lower(btrim(email)) FROM customers WHERE site_id = $1 AND id <> $3)`,
		siteID, pq.Array(emails), erased); err != nil {
		return fmt.Errorf("mail: forget the mail sent to %d addresses of site %d: %w", len(emails), siteID, err)
	}
	return nil
}

// Stored is a message as the outbox holds it, with its delivery state.
type Stored struct {
	Message
	Status        Status
	Attempts      int
	NextAttemptAt time.Time
	LastError     string     // of the latest failed attempt; kept after a later success
	SentAt        *time.Time // when it was sent or kept in the mailbox
}

// ListOptions narrow List.
type ListOptions struct {
	Limit  int    // at most this many; 0 or less means 50
	Status Status // only this status; empty means all
}

// List returns the outbox's messages, newest first.
func List(ctx context.Context, db sqlx.QueryerContext, opts ListOptions) ([]Stored, error) {
	if opts.Limit <= 0 {
		opts.Limit = 50
	}
	rows, err := db.QueryxContext(ctx, `SELECT id, site_id, customer_id, kind, recipient, subject, body,
		created_at, expires_at, status, attempts, next_attempt_at, last_error, sent_at
		FROM mail_outbox WHERE $1 = '' OR status = $1 ORDER BY created_at DESC, id LIMIT $2`,
		string(opts.Status), opts.Limit)
	if err != nil {
		return nil, fmt.Errorf("mail: list: %w", err)
	}
	defer rows.Close()
	var out []Stored
	for rows.Next() {
		var s Stored
		var expiresAt sql.NullTime
		if err := rows.Scan(&s.ID, &s.SiteID, &s.CustomerID, &s.Kind, &s.Recipient, &s.Subject, &s.Body,
			&s.CreatedAt, &expiresAt, &s.Status, &s.Attempts, &s.NextAttemptAt, &s.LastError, &s.SentAt); err != nil {
			return nil, fmt.Errorf("mail: list: %w", err)
		}
		s.ExpiresAt = expiresAt.Time
		out = append(out, s)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("mail: list: %w", err)
	}
	return out, nil
}

// nullTime stores the zero time as NULL.
func nullTime(t time.Time) sql.NullTime {
	return sql.NullTime{Time: t, Valid: !t.IsZero()}
}
