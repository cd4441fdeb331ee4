// Package wallet projects the wallet events (aggregates/wallet) into the payment_methods read-model table
// (migration 00035), which queries.PaymentMethods reads for the payment method endpoints and the Customer
// resource's `source` and `sources`.
//
// Every row carries the revision of its wallet stream (wallet-<customer id>) it last reflects, and every
// write is guarded by it: an event delivered twice changes nothing. An event that changes the default
// touches (and stamps) both the new and the old default row. customer.erased deletes the customer's cards.
package wallet

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// Name is the projection's name and checkpoint key; wallet writes wait for it before answering
// (read-your-writes). Warning: changing it replays the whole log into the same table (see
// projections.Projection.Name); bump it only together with a fresh table.
const Name = "payment_methods.v1"

// Projection keeps payment_methods, one row per card ever saved.
func Projection() projections.Projection {
	return projections.Projection{
		Name:   Name,
		Tables: []string{"payment_methods"},
		Handlers: []projections.Handler{
			projections.On(applySaved),
			projections.On(applyConfirmed),
			projections.On(applyDefaultChanged),
			projections.On(applyExpiryChanged),
			projections.On(applyDeleted),
			projections.On(applyUseChanged),
			projections.On(applyCustomerErased),
		},
	}
}

// applySaved inserts the card (a row already there: applied already) and, for a default card, takes the
// default from the previous one.
func applySaved(ctx context.Context, tx *sqlx.Tx, e projections.Event[wallet.PaymentMethodSaved]) error {
	d, c := e.Data, e.Data.Card
	status := wallet.StatusChargeable
	if d.Pending {
		status = wallet.StatusPending
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO payment_methods (id, customer_id, gateway, object_id, status, brand,
		last4, exp_month, exp_year, country, funding, fingerprint, setup_intent_id, is_default, created_at,
		updated_at, revision)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $15, $16)
		ON CONFLICT (id) DO NOTHING`,
		d.PaymentMethodID, d.CustomerID, d.Gateway, d.ObjectID, status, c.Brand, c.Last4, c.ExpMonth, c.ExpYear,
		c.Country, c.Funding, c.Fingerprint, d.SetupIntentID, d.IsDefault, d.SavedAt, e.Revision)
	if err != nil {
		return fmt.Errorf("insert payment method %d: %w", d.PaymentMethodID, err)
	}
	if !d.IsDefault {
		return nil
	}
	return setDefault(ctx, tx, d.CustomerID, d.PaymentMethodID, d.SavedAt, e.Revision)
}

// setDefault leaves the card of that id the customer's only default.
func setDefault(ctx context.Context, tx *sqlx.Tx, customerID, id int64, at time.Time, revision uint64) error {
	_, err := tx.ExecContext(ctx, `UPDATE payment_methods SET is_default = (id = $2), updated_at = $3, revision = $4
		WHERE customer_id = $1 AND (id = $2 OR is_default) AND revision < $4`,
		customerID, id, at, revision)
	if err != nil {
		return fmt.Errorf("default payment method %d: %w", id, err)
	}
	return nil
}

func applyConfirmed(ctx context.Context, tx *sqlx.Tx, e projections.Event[wallet.PaymentMethodConfirmed]) error {
	return update(ctx, tx, e, e.Data.PaymentMethodID, `status = 'chargeable', updated_at = $3`, e.Data.ConfirmedAt)
}

func applyDefaultChanged(ctx context.Context, tx *sqlx.Tx, e projections.Event[wallet.DefaultPaymentMethodChanged]) error {
	return setDefault(ctx, tx, e.Data.CustomerID, e.Data.PaymentMethodID, e.Data.ChangedAt, e.Revision)
}

func applyExpiryChanged(ctx context.Context, tx *sqlx.Tx, e projections.Event[wallet.CardExpiryChanged]) error {
	return update(ctx, tx, e, e.Data.PaymentMethodID, `exp_month = $3, exp_year = $4, updated_at = $5`,
		e.Data.ExpMonth, e.Data.ExpYear, e.Data.ChangedAt)
}

func applyDeleted(ctx context.Context, tx *sqlx.Tx, e projections.Event[wallet.PaymentMethodDeleted]) error {
	return update(ctx, tx, e, e.Data.PaymentMethodID,
		`status = 'canceled', is_default = false, deleted_at = $3, updated_at = $3`, e.Data.DeletedAt)
}

func applyUseChanged(ctx context.Context, tx *sqlx.Tx, e projections.Event[wallet.PaymentMethodUseChanged]) error {
	return update(ctx, tx, e, e.Data.PaymentMethodID, `subscription_ids = CASE WHEN $4
			THEN array_append(array_remove(subscription_ids, $3::bigint), $3::bigint)
			ELSE array_remove(subscription_ids, $3::bigint) END, updated_at = $5`,
		e.Data.SubscriptionID, e.Data.InUse, e.Data.ChangedAt)
}

// update sets columns ($3 on) of one card when its row is older than the event.
func update[E any](ctx context.Context, tx *sqlx.Tx, e projections.Event[E], id int64, set string, args ...any) error {
	_, err := tx.ExecContext(ctx, `UPDATE payment_methods SET `+set+`, revision = $2 WHERE id = $1 AND revision < $2`,
		append([]any{id, e.Revision}, args...)...)
	if err != nil {
		return fmt.Errorf("update payment method %d: %w", id, err)
	}
	return nil
}

// applyCustomerErased deletes an erased customer's cards: the customer no longer exists.
func applyCustomerErased(ctx context.Context, tx *sqlx.Tx, e projections.Event[customer.Erased]) error {
	if _, err := tx.ExecContext(ctx, `DELETE FROM payment_methods WHERE customer_id = $1`, e.Data.CustomerID); err != nil {
		return fmt.Errorf("delete the payment methods of customer %d: %w", e.Data.CustomerID, err)
	}
	return nil
}
