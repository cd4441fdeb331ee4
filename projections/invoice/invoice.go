// Package invoice projects the invoice events (aggregates/invoice) into the invoices and invoice_charges
// read-model tables (migration 00040), which queries.Customers reads for the Customer resource's `invoices`
// and `charges` (spec 3.1, 3.6).
//
// Every row carries the revision of the invoice's stream (invoice-<id>) it reflects, and every write is
// guarded by the invoices row's revision: an event is applied only when that row is older than it, so an
// event delivered twice changes nothing.
package invoice

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// Name is the projection's name and checkpoint key; paying an invoice waits for it before answering with
// the Customer (read-your-writes). Warning: changing it replays the whole log into the same tables (see
// projections.Projection.Name); bump it only together with fresh tables.
const Name = "invoices.v1"

// Projection keeps invoices (one row per invoice) and invoice_charges (one per paying charge).
func Projection() projections.Projection {
	return projections.Projection{
		Name:   Name,
		Tables: []string{"invoices", "invoice_charges"},
		Handlers: []projections.Handler{
			projections.On(applyCreated),
			projections.On(applyFinalized),
			projections.On(applyVoided),
			projections.On(applyMarkedUncollectible),
			projections.On(applyAttempted),
			projections.On(applyRequiresAction),
			projections.On(applyDeclined),
			projections.On(applyPaid),
			projections.On(applyRefunded),
		},
	}
}

// line is an invoice line as the resource shows it.
type line struct {
	Description string `json:"description"`
	UnitAmount  int64  `json:"unit_amount"`
	Quantity    int64  `json:"quantity"`
	Amount      int64  `json:"amount"`
}

// applyCreated inserts the invoice; a row already there means the event is applied already. The tax column
// holds every jurisdiction's tax, as the resource shows it: the inclusive part is what the total does not add
// (subtotal + tax − discount − total).
func applyCreated(ctx context.Context, tx *sqlx.Tx, e projections.Event[invoice.Created]) error {
	d := e.Data
	lines := make([]line, len(d.Lines))
	for i, l := range d.Lines {
		lines[i] = line{Description: l.Description, UnitAmount: l.UnitAmount, Quantity: l.Quantity, Amount: l.Amount()}
	}
	encoded, err := json.Marshal(lines)
	if err != nil {
		return fmt.Errorf("encode the lines of invoice %d: %w", d.InvoiceID, err)
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO invoices (id, customer_id, account_id, site_id, status, currency,
		subtotal, tax, discount, total, amount_paid, lines, billing_reason, subscription_id, description, due_at,
		period_start, period_end, attempt_count, pending_intent_id, paid_at, created_at, updated_at, revision)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, 0, $11, $12, $13, $14, $15, $16, $17, 0, '', NULL, $18, $18, $19)
		ON CONFLICT (id) DO NOTHING`,
		d.InvoiceID, d.CustomerID, d.AccountID, d.SiteID, string(d.Status), d.Currency, d.Amounts.Subtotal,
		d.Amounts.AllTax(), d.Amounts.Discount, d.Amounts.Total, encoded, string(d.BillingReason), d.SubscriptionID,
		d.Description, nullTime(d.DueAt), nullTime(d.Period.Start), nullTime(d.Period.End), d.CreatedAt, e.Revision)
	if err != nil {
		return fmt.Errorf("insert invoice %d: %w", d.InvoiceID, err)
	}
	return nil
}

// nullTime is nil for the zero time (a date the invoice does not have).
func nullTime(t time.Time) *time.Time {
	if t.IsZero() {
		return nil
	}
	return &t
}

// setStatus moves the invoice to status when the row is older than the event.
func setStatus(ctx context.Context, tx *sqlx.Tx, id int64, revision uint64, status invoice.Status, at time.Time) error {
	return update(ctx, tx, id, revision, at, `status = $4, pending_intent_id = ''`, string(status))
}

func applyFinalized(ctx context.Context, tx *sqlx.Tx, e projections.Event[invoice.Finalized]) error {
	return setStatus(ctx, tx, e.Data.InvoiceID, e.Revision, invoice.StatusOpen, e.Data.FinalizedAt)
}

func applyVoided(ctx context.Context, tx *sqlx.Tx, e projections.Event[invoice.Voided]) error {
	return setStatus(ctx, tx, e.Data.InvoiceID, e.Revision, invoice.StatusVoid, e.Data.VoidedAt)
}

func applyMarkedUncollectible(ctx context.Context, tx *sqlx.Tx, e projections.Event[invoice.MarkedUncollectible]) error {
	return setStatus(ctx, tx, e.Data.InvoiceID, e.Revision, invoice.StatusUncollectible, e.Data.MarkedAt)
}

func applyAttempted(ctx context.Context, tx *sqlx.Tx, e projections.Event[invoice.PaymentAttempted]) error {
	return update(ctx, tx, e.Data.InvoiceID, e.Revision, e.Data.AttemptedAt, `attempt_count = $4`, e.Data.Attempt)
}

func applyRequiresAction(ctx context.Context, tx *sqlx.Tx, e projections.Event[invoice.PaymentRequiresAction]) error {
	return update(ctx, tx, e.Data.InvoiceID, e.Revision, e.Data.At, `pending_intent_id = $4`, e.Data.IntentID)
}

func applyDeclined(ctx context.Context, tx *sqlx.Tx, e projections.Event[invoice.PaymentDeclined]) error {
	return update(ctx, tx, e.Data.InvoiceID, e.Revision, e.Data.DeclinedAt, `pending_intent_id = $4`, "")
}

// applyPaid marks the invoice paid and, when a charge paid it, records the charge.
func applyPaid(ctx context.Context, tx *sqlx.Tx, e projections.Event[invoice.Paid]) error {
	d := e.Data
	err := update(ctx, tx, d.InvoiceID, e.Revision, d.PaidAt,
		`status = 'paid', amount_paid = $4, paid_at = $3, pending_intent_id = ''`, d.Amount)
	if err != nil || d.ChargeID == "" {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO invoice_charges (invoice_id, customer_id, charge_id, gateway, amount,
		currency, card_brand, card_last4, created_at, revision) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)
		ON CONFLICT (invoice_id) DO NOTHING`,
		d.InvoiceID, d.CustomerID, d.ChargeID, d.Gateway, d.Amount, d.Currency, d.Card.Brand, d.Card.Last4, d.PaidAt, e.Revision)
	if err != nil {
		return fmt.Errorf("insert the charge of invoice %d: %w", d.InvoiceID, err)
	}
	return nil
}

// applyRefunded adds a refund to its charge's amount_refunded, once: the charge row's revision says
// whether it saw the event. The refund of a charge that did not pay the invoice (NotOwed: a late 3-D Secure
// intent, refunded in full) touches no row: its charge is not the invoice's.
func applyRefunded(ctx context.Context, tx *sqlx.Tx, e projections.Event[invoice.Refunded]) error {
	if e.Data.NotOwed {
		return nil
	}
	_, err := tx.ExecContext(ctx, `UPDATE invoice_charges SET amount_refunded = amount_refunded + $2, revision = $3
		WHERE invoice_id = $1 AND revision < $3`, e.Data.InvoiceID, e.Data.Amount, e.Revision)
	if err != nil {
		return fmt.Errorf("record a refund of invoice %d: %w", e.Data.InvoiceID, err)
	}
	return nil
}

// update sets the columns of the invoice row when it is older than revision, stamping updated_at with at.
// set may use $4 for value; $1 is the id, $2 the revision, $3 the time.
func update(ctx context.Context, tx *sqlx.Tx, id int64, revision uint64, at time.Time, set string, value any) error {
	_, err := tx.ExecContext(ctx, `UPDATE invoices SET `+set+`, updated_at = $3, revision = $2
		WHERE id = $1 AND revision < $2`, id, revision, at, value)
	if err != nil {
		return fmt.Errorf("update invoice %d: %w", id, err)
	}
	return nil
}
