// Package subscription projects the subscription events (aggregates/subscription) into the subscriptions
// read-model table (migration 00055), which queries.Customers reads for the Customer resource's
// `subscriptions`, `expired_subscriptions` and `gift_recipients` (spec 3.1, 3.5).
//
// The row keeps the subscription's folded state (subscription.State as JSON) and the columns the resource
// shows are derived from it: each event is folded with the aggregate's own Evolve, so every event the
// aggregate knows projects, and the read model cannot drift from what the commands decide on. Warning: a
// State field added later is zero in rows folded before it; a column derived from such a field needs a
// rebuild (a new Name with fresh tables).
//
// Every row carries the revision of the subscription's stream it reflects, and every write is guarded by
// it: an event is applied only when the row is older, so an event delivered twice changes nothing.
package subscription

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// Name is the projection's name and checkpoint key; the subscription endpoints wait for it before answering
// with the Customer (read-your-writes). Warning: changing it replays the whole log into the same table
// (see projections.Projection.Name); bump it only together with a fresh table.
const Name = "subscriptions.v1"

// Projection keeps subscriptions (one row per subscription).
func Projection() projections.Projection {
	return projections.Projection{
		Name:   Name,
		Tables: []string{"subscriptions"},
		Handlers: []projections.Handler{
			projections.On(applyCreated),
			projections.On(fold[subscription.PaymentSucceeded]),
			projections.On(fold[subscription.PaymentFailed]),
			projections.On(fold[subscription.PeriodStarted]),
			projections.On(fold[subscription.CancellationScheduled]),
			projections.On(fold[subscription.Reactivated]),
			projections.On(fold[subscription.Ended]),
			projections.On(fold[subscription.PhaseAdded]),
			projections.On(fold[subscription.PlanChanged]),
			projections.On(fold[subscription.GiftNotified]),
			projections.On(fold[subscription.GiftRedeemed]),
			projections.On(fold[subscription.GiftTermGiven]),
			projections.On(fold[subscription.AddressChanged]),
			projections.On(fold[subscription.InvoiceOverdue]),
			projections.On(applyErased),
		},
	}
}

// applyCreated inserts the subscription with its gift's recipient, every column at once; a row already there
// means the event is applied already.
func applyCreated(ctx context.Context, tx *sqlx.Tx, e projections.Event[subscription.Created]) error {
	d := e.Data
	s := subscription.Evolve(subscription.State{}, d)
	encoded, err := stored(s)
	if err != nil {
		return fmt.Errorf("encode subscription %d: %w", d.SubscriptionID, err)
	}
	args := append([]any{d.SubscriptionID, int64(e.Revision)}, folded(s, encoded, d.CreatedAt)...)
	args = append(args, d.CustomerID, d.AccountID, d.SiteID, d.CampaignKey, jsonOf(d.Metadata, "{}"),
		jsonOf(d.Domains, "[]"), jsonOf(d.IPAddresses, "[]"), d.Gift.RecipientEmail, d.Gift.RecipientFirstName,
		d.Gift.RecipientLastName, d.Gift.Message, nullTime(d.GiftStart), d.CreatedAt)
	_, err = tx.ExecContext(ctx, `INSERT INTO subscriptions (id, revision, `+foldedColumns+`, customer_id,
		account_id, site_id, campaign_key, metadata, domains, ip_addresses, gift_recipient_email,
		gift_recipient_first_name, gift_recipient_last_name, gift_message, gift_start, created_at)
		VALUES ($1, $2, `+placeholders(3, len(args)-2)+`) ON CONFLICT (id) DO NOTHING`, args...)
	if err != nil {
		return fmt.Errorf("insert subscription %d: %w", d.SubscriptionID, err)
	}
	return nil
}

// applyErased blanks the gift's recipient (the state holds none of it) and folds the event.
func applyErased(ctx context.Context, tx *sqlx.Tx, e projections.Event[subscription.Erased]) error {
	_, err := tx.ExecContext(ctx, `UPDATE subscriptions SET gift_recipient_email = '', gift_recipient_first_name = '',
		gift_recipient_last_name = '', gift_message = '' WHERE id = $1 AND revision < $2`,
		e.Data.SubscriptionID, e.Revision)
	if err != nil {
		return fmt.Errorf("erase the gift of subscription %d: %w", e.Data.SubscriptionID, err)
	}
	return fold(ctx, tx, e)
}

// fold evolves the row's state with the event when the row is older than it, and rewrites the columns.
func fold[E subscription.Event](ctx context.Context, tx *sqlx.Tx, e projections.Event[E]) error {
	id := subscriptionID(e.Data)
	var row struct {
		State    []byte `db:"state"`
		Revision int64  `db:"revision"`
	}
	err := tx.GetContext(ctx, &row, `SELECT state, revision FROM subscriptions WHERE id = $1 FOR UPDATE`, id)
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("subscription %d: %s before its creation", id, e.Type)
	}
	if err != nil {
		return fmt.Errorf("read subscription %d: %w", id, err)
	}
	if row.Revision >= int64(e.Revision) {
		return nil
	}
	var s subscription.State
	if err := json.Unmarshal(row.State, &s); err != nil {
		return fmt.Errorf("decode subscription %d: %w", id, err)
	}
	s = subscription.Evolve(s, e.Data)
	encoded, err := stored(s)
	if err != nil {
		return fmt.Errorf("encode subscription %d: %w", id, err)
	}
	return write(ctx, tx, id, e.Revision, s, encoded, e.Created)
}

// stored is the state as the row keeps it: without the gift's recipient, personal data that lives in the
// gift_* columns alone, which erasure blanks (a copy inside the state would outlive it).
func stored(s subscription.State) ([]byte, error) {
	s.Gift = subscription.Gift{}
	return json.Marshal(s)
}

// subscriptionID is the subscription an event is of: every subscription event carries it as SubscriptionID
// (0 for a type without one, which fold then refuses as an event before its creation).
func subscriptionID(e subscription.Event) int64 {
	field := reflect.ValueOf(e).FieldByName("SubscriptionID")
	if !field.IsValid() || field.Kind() != reflect.Int64 {
		return 0
	}
	return field.Int()
}
