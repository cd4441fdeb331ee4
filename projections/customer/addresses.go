package customer

import (
	"context"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// applyAddressAdded inserts the address (rule 25: a default takes over from its type's previous default).
func applyAddressAdded(ctx context.Context, tx *sqlx.Tx, e projections.Event[customer.AddressAdded]) error {
	return putAddress(ctx, tx, e.Data.CustomerID, e.Revision, e.Data.Address, e.Data.AddedAt)
}

// applyAddressUpdated replaces the address, with the same default rule.
func applyAddressUpdated(ctx context.Context, tx *sqlx.Tx, e projections.Event[customer.AddressUpdated]) error {
	return putAddress(ctx, tx, e.Data.CustomerID, e.Revision, e.Data.Address, e.Data.UpdatedAt)
}

// putAddress writes a as the customer's address at revision, created at `at` when new. The customers row
// is the guard: when it already reflects revision, nothing changes. When a is a default, the other
// defaults of its type stop being one. An erased address (the zero address, id 0) writes no row.
func putAddress(ctx context.Context, tx *sqlx.Tx, customerID int64, revision uint64, a customer.Address, at time.Time) error {
	changed, err := advance(ctx, tx, customerID, revision, at, "")
	if err != nil || !changed || a.ID == 0 {
		return err
	}
	_, err = tx.ExecContext(ctx, `INSERT INTO customer_addresses (id, customer_id, type, first_name, last_name,
		title, salutation, company, department, line1, line2, city, state, postal_code, country, phone,
		is_default, created_at, updated_at, revision)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $18, $19)
		ON CONFLICT (id) DO UPDATE SET type = excluded.type, first_name = excluded.first_name,
			last_name = excluded.last_name, title = excluded.title, salutation = excluded.salutation,
			company = excluded.company, department = excluded.department, line1 = excluded.line1,
			line2 = excluded.line2, city = excluded.city, state = excluded.state,
			postal_code = excluded.postal_code, country = excluded.country, phone = excluded.phone,
			is_default = excluded.is_default, updated_at = excluded.updated_at, revision = excluded.revision`,
		a.ID, customerID, string(a.Type), a.FirstName, a.LastName, a.Title, a.Salutation, a.Company, a.Department,
		a.Line1, a.Line2, a.City, a.State, a.PostalCode, a.Country, a.Phone, a.IsDefault, at, revision)
	if err != nil {
		return fmt.Errorf("write address %d of customer %d: %w", a.ID, customerID, err)
	}
	if !a.IsDefault {
		return nil
	}
	_, err = tx.ExecContext(ctx, `UPDATE customer_addresses SET is_default = false, updated_at = $4, revision = $5
		WHERE customer_id = $1 AND type = $2 AND id <> $3 AND is_default`,
		customerID, string(a.Type), a.ID, at, revision)
	if err != nil {
		return fmt.Errorf("clear default %s addresses of customer %d: %w", a.Type, customerID, err)
	}
	return nil
}
