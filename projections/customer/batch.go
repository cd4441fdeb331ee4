package customer

import (
	"context"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// applyBatch is the projection's Batch, used by rebuilds and by the running projection whenever several
// events are ready at once: it reads the rows of the customers the events touch, folds the events over them
// in memory by the rules of the apply funcs, and writes the outcome back in at most five statements. Applied
// one by one, each event costs a statement or three, which capped the read model at a few hundred events a
// second and kept every write waiting for it.
//
// Warning: a change to the rules of one must be made to the other; TestBatchMatchesTheApplyFuncs holds them
// together.
var applyBatch = projections.FoldBatch(func() projections.Folder {
	return &batch{customers: map[int64]*storedCustomer{}, addresses: map[int64]*storedAddress{}}
})

// storedCustomer is one customers row; the json names are the column names (store writes rows as JSON records).
type storedCustomer struct {
	ID                    int64           `db:"id" json:"id"`
	AccountID             int64           `db:"account_id" json:"account_id"`
	SiteID                int64           `db:"site_id" json:"site_id"`
	Email                 string          `db:"email" json:"email"`
	EmailConfirm          bool            `db:"email_confirm" json:"email_confirm"`
	EmailHardbounce       bool            `db:"email_hardbounce" json:"email_hardbounce"`
	Username              string          `db:"username" json:"username"`
	HasPassword           bool            `db:"has_password" json:"has_password"`
	PasswordLastUpdatedAt *time.Time      `db:"password_last_updated_at" json:"password_last_updated_at"`
	FirstName             string          `db:"first_name" json:"first_name"`
	LastName              string          `db:"last_name" json:"last_name"`
	DisplayName           string          `db:"display_name" json:"display_name"`
	Phone                 string          `db:"phone" json:"phone"`
	Salutation            string          `db:"salutation" json:"salutation"`
	Title                 string          `db:"title" json:"title"`
	Organization          string          `db:"organization" json:"organization"`
	OldProviderID         string          `db:"old_provider_id" json:"old_provider_id"`
	Language              string          `db:"language" json:"language"`
	Metadata              json.RawMessage `db:"metadata" json:"metadata"`
	ProfilePhoto          string          `db:"profile_photo" json:"profile_photo"`
	LastLoginMethod       string          `db:"last_login_method" json:"last_login_method"`
	LastLoginAt           *time.Time      `db:"last_login_at" json:"last_login_at"`
	CreatedAt             time.Time       `db:"created_at" json:"created_at"`
	UpdatedAt             time.Time       `db:"updated_at" json:"updated_at"`
	Revision              int64           `db:"revision" json:"revision"`
	TokensValidAfter      *time.Time      `db:"tokens_valid_after" json:"tokens_valid_after"`
	SignInRevision        *int64          `db:"sign_in_revision" json:"sign_in_revision"`
}

// storedAddress is one customer_addresses row, named like storedCustomer.
type storedAddress struct {
	ID         int64     `db:"id" json:"id"`
	CustomerID int64     `db:"customer_id" json:"customer_id"`
	Type       string    `db:"type" json:"type"`
	FirstName  string    `db:"first_name" json:"first_name"`
	LastName   string    `db:"last_name" json:"last_name"`
	Title      string    `db:"title" json:"title"`
	Salutation string    `db:"salutation" json:"salutation"`
	Company    string    `db:"company" json:"company"`
	Department string    `db:"department" json:"department"`
	Line1      string    `db:"line1" json:"line1"`
	Line2      string    `db:"line2" json:"line2"`
	City       string    `db:"city" json:"city"`
	State      string    `db:"state" json:"state"`
	PostalCode string    `db:"postal_code" json:"postal_code"`
	Country    string    `db:"country" json:"country"`
	Phone      string    `db:"phone" json:"phone"`
	IsDefault  bool      `db:"is_default" json:"is_default"`
	CreatedAt  time.Time `db:"created_at" json:"created_at"`
	UpdatedAt  time.Time `db:"updated_at" json:"updated_at"`
	Revision   int64     `db:"revision" json:"revision"`
}

// batch is the state of the rows a batch touches. customers[id] is nil when the customer has no row (never
// registered, or erased); addresses holds the address rows the events write and the current defaults of the
// customers whose events make an address a default (see Load). The changed sets list what store writes back.
type batch struct {
	customers        map[int64]*storedCustomer
	addresses        map[int64]*storedAddress
	changedCustomers []int64
	changedAddresses []int64
	forgotten        []int64 // customers whose rows and addresses an erasure deleted
}

// Load reads the current rows of every customer the events name, of every address they write and of the
// default addresses of every customer an event gives a new default: those are all the rows Fold reads or
// changes (putAddress clears only the other defaults of a type; forget deletes by customer in Store). It reads
// no other address: a customer's addresses pile up, and reading all of them made every address event dearer
// than the last. Warning: a Fold rule that reads more of a customer's addresses must widen this load.
func (b *batch) Load(ctx context.Context, tx *sqlx.Tx, events []projections.Event[any]) error {
	var customerIDs, addressIDs, newDefaultsOf []int64
	for _, e := range events {
		id, address, err := subjectOf(e.Data)
		if err != nil {
			return err
		}
		if _, seen := b.customers[id]; !seen {
			b.customers[id] = nil
			customerIDs = append(customerIDs, id)
		}
		if address.ID != 0 {
			addressIDs = append(addressIDs, address.ID)
			if address.IsDefault {
				newDefaultsOf = append(newDefaultsOf, id)
			}
		}
	}
	var current []storedCustomer
	if err := tx.SelectContext(ctx, &current, `SELECT `+customerColumns+` FROM customers WHERE id = ANY($1)`,
		pq.Array(customerIDs)); err != nil {
		return fmt.Errorf("read the batch's customers: %w", err)
	}
	for i := range current {
		b.customers[current[i].ID] = &current[i]
	}
	if len(addressIDs) == 0 {
		return nil
	}
	var addresses []storedAddress
	if err := tx.SelectContext(ctx, &addresses, `SELECT `+addressColumns+` FROM customer_addresses
		WHERE id = ANY($1) OR (is_default AND customer_id = ANY($2))`, pq.Array(addressIDs), pq.Array(newDefaultsOf)); err != nil {
		return fmt.Errorf("read the batch's customer addresses: %w", err)
	}
	for i := range addresses {
		b.addresses[addresses[i].ID] = &addresses[i]
	}
	return nil
}

// The columns of the two tables, in the order of their rows' fields.
const (
	customerColumns = `id, account_id, site_id, email, email_confirm, email_hardbounce, username, has_password,
		password_last_updated_at, first_name, last_name, display_name, phone, salutation, title, organization,
		old_provider_id, language, metadata, profile_photo, last_login_method, last_login_at, created_at,
		updated_at, revision, tokens_valid_after, sign_in_revision`
	addressColumns = `id, customer_id, type, first_name, last_name, title, salutation, company, department,
		line1, line2, city, state, postal_code, country, phone, is_default, created_at, updated_at, revision`
)

// subjectOf is the customer an event is about and, for an address event, the address it writes (the zero
// address when none: an erased one has id 0).
func subjectOf(data any) (customerID int64, address customer.Address, err error) {
	switch d := data.(type) {
	case customer.Registered:
		return d.CustomerID, customer.Address{}, nil
	case customer.ProfileChanged:
		return d.CustomerID, customer.Address{}, nil
	case customer.EmailChanged:
		return d.CustomerID, customer.Address{}, nil
	case customer.UsernameChanged:
		return d.CustomerID, customer.Address{}, nil
	case customer.PasswordChanged:
		return d.CustomerID, customer.Address{}, nil
	case customer.IdentityUnlinked:
		return d.CustomerID, customer.Address{}, nil
	case customer.LoggedIn:
		return d.CustomerID, customer.Address{}, nil
	case customer.EmailVerified:
		return d.CustomerID, customer.Address{}, nil
	case customer.PictureSet:
		return d.CustomerID, customer.Address{}, nil
	case customer.PictureRemoved:
		return d.CustomerID, customer.Address{}, nil
	case customer.AddressAdded:
		return d.CustomerID, d.Address, nil
	case customer.AddressUpdated:
		return d.CustomerID, d.Address, nil
	case customer.Erased:
		return d.CustomerID, customer.Address{}, nil
	}
	return 0, customer.Address{}, fmt.Errorf("customer batch: unexpected event %T", data)
}
