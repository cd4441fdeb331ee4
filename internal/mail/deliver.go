package mail

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"time"

	"github.com/cenkalti/backoff/v5"
	"github.com/jmoiron/sqlx"
)

// Sender hands one message to a mail server; a nil error means the server accepted it. SMTPSender is the
// production one.
type Sender interface {
	Send(ctx context.Context, m Message) error
}

// Backoff paces the attempts at one message: the delay after the n-th failed attempt is Initial·2^(n-1),
// at most Max.
type Backoff struct {
	Initial time.Duration // 0: 10 s
	Max     time.Duration // 0: 1 h
}

// after returns the delay after failedAttempts failed attempts (1 for the first). The outbox keeps only the
// count, so the library's sequence is replayed up to it; it stops growing at Max, and so does the loop.
func (b Backoff) after(failedAttempts int) time.Duration {
	maxDelay := orDefault(b.Max, time.Hour)
	pauses := &backoff.ExponentialBackOff{InitialInterval: min(orDefault(b.Initial, 10*time.Second), maxDelay),
		Multiplier: 2, MaxInterval: maxDelay}
	delay := pauses.NextBackOff()
	for i := 1; i < failedAttempts && delay < maxDelay; i++ {
		delay = pauses.NextBackOff()
	}
	return delay
}

// orDefault returns d, or fallback when d is not positive.
func orDefault(d, fallback time.Duration) time.Duration {
	if d > 0 {
		return d
	}
	return fallback
}

// Deliverer sends the outbox's due messages through Sender, or, when Sender is nil, marks them kept in the
// development mailbox. Several API processes may run one each on the same database: a message is taken
// with FOR UPDATE SKIP LOCKED, so each is handled by one of them at a time.
//
// Delivery is at least once: a message is marked sent in the transaction that holds it during the send, so
// a crash (or a lost connection) after the server accepted it and before the commit sends it again later,
// with the same Message-ID. A failed attempt keeps the message pending, counts it and schedules the next one
// with Backoff; a message is never deleted. A message whose link stopped working before it could be sent
// (ExpiresAt) is marked expired and kept unsent: a dead link helps no one, and a fresh outbox replaying old
// events must not mail them all.
type Deliverer struct {
	DB     *sqlx.DB
	Sender Sender // nil: development mailbox
	Logger *slog.Logger
	// Poll is how often Run looks for due messages (0: every second).
	Poll    time.Duration
	Backoff Backoff
	// SendTimeout bounds one Send, and so how long a message's row stays locked (0: one minute).
	SendTimeout time.Duration
	// Now is the clock (nil: time.Now); tests move it to make retries due.
	Now func() time.Time
}

// Run delivers due messages until ctx is done. Failures are logged and retried; it returns nil when ctx
// ends.
func (d *Deliverer) Run(ctx context.Context) error {
	ticker := time.NewTicker(orDefault(d.Poll, time.Second))
	defer ticker.Stop()
	for {
		if _, err := d.DeliverDue(ctx); err != nil && ctx.Err() == nil {
			d.logger().Warn("mail not delivered; it and the rest wait for a later pass", "error", err)
		}
		select {
		case <-ctx.Done():
			return nil
		case <-ticker.C:
		}
	}
}

// DeliverDue makes one attempt at each message due now, oldest first, and returns how many it handled. It
// stops at the first failed send (the server is likely down, and the message is rescheduled) or database
// error, and returns that error.
func (d *Deliverer) DeliverDue(ctx context.Context) (int, error) {
	for n := 0; ; n++ {
		found, err := d.deliverOne(ctx)
		if err != nil || !found {
			return n, err
		}
	}
}

// deliverOne handles the oldest due message, in one transaction; found is false when none is due.
func (d *Deliverer) deliverOne(ctx context.Context) (found bool, err error) {
	tx, err := d.DB.BeginTxx(ctx, nil)
	if err != nil {
		return false, fmt.Errorf("mail: deliver: %w", err)
	}
	defer func() { _ = tx.Rollback() }()
	var m Message
	var attempts int
	var expiresAt sql.NullTime
	now := d.now()
	err = tx.QueryRowxContext(ctx, `SELECT id, site_id, customer_id, kind, recipient, subject, body, created_at,
		expires_at, attempts FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= $1
		ORDER BY next_attempt_at, id LIMIT 1 FOR UPDATE SKIP LOCKED`, now).
		Scan(&m.ID, &m.SiteID, &m.CustomerID, &m.Kind, &m.Recipient, &m.Subject, &m.Body, &m.CreatedAt,
			&expiresAt, &attempts)
	if errors.Is(err, sql.ErrNoRows) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("mail: deliver: %w", err)
	}
	if expiresAt.Valid && !now.Before(expiresAt.Time) {
		return true, commitUpdate(ctx, tx, `UPDATE mail_outbox SET status = 'expired' WHERE id = $1`, m.ID)
	}
	sendErr := d.send(ctx, m)
	if sendErr != nil {
		next := d.now().Add(d.Backoff.after(attempts + 1))
		if err := commitUpdate(ctx, tx, `UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = $2,
			last_error = $3 WHERE id = $1`, m.ID, next, sendErr.Error()); err != nil {
			return true, err
		}
		return true, fmt.Errorf("mail: send %s (attempt %d; next at %s): %w", m.ID, attempts+1,
			next.UTC().Format(time.RFC3339), sendErr)
	}
	if d.Sender == nil {
		return true, commitUpdate(ctx, tx, `UPDATE mail_outbox SET status = $2, attempts = attempts + 1, sent_at = $3
			WHERE id = $1`, m.ID, StatusMailbox, d.now())
	}
	// Once sent, the body leaves the outbox: it holds a live sign-in or reset link, which must not stay
	// readable to whoever can read the database for as long as the link works.
	return true, commitUpdate(ctx, tx, `UPDATE mail_outbox SET status = $2, attempts = attempts + 1, sent_at = $3,
		body = '' WHERE id = $1`, m.ID, StatusSent, d.now())
}

// commitUpdate records what happened to message id (the first argument of update) and commits.
func commitUpdate(ctx context.Context, tx *sqlx.Tx, update string, id any, args ...any) error {
	_, err := tx.ExecContext(ctx, update, append([]any{id}, args...)...)
	if err == nil {
		err = tx.Commit()
	}
	if err != nil {
		return fmt.Errorf("mail: record delivery of %v: %w", id, err)
	}
	return nil
}

// send hands m to the Sender with a timeout; without a Sender the message stays in the mailbox.
func (d *Deliverer) send(ctx context.Context, m Message) error {
	if d.Sender == nil {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, orDefault(d.SendTimeout, time.Minute))
	defer cancel()
	return d.Sender.Send(ctx, m)
}

func (d *Deliverer) now() time.Time {
	if d.Now != nil {
		return d.Now()
	}
	return time.Now()
}

func (d *Deliverer) logger() *slog.Logger {
	if d.Logger != nil {
		return d.Logger
	}
	return slog.Default()
}
