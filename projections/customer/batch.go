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
// registered, or erased); addresses holds every address row of those customers and of the address ids the
// events name. The changed sets list what store writes back.
type batch struct {
	customers        map[int64]*storedCustomer
	addresses        map[int64]*storedAddress
	changedCustomers []int64
	changedAddresses []int64
	forgotten        []int64 // customers whose rows and addresses an erasure deleted
}

// Load reads the current rows of every customer the events name and of every address they write.
func (b *batch) Load(ctx context.Context, tx *sqlx.Tx, events []projections.Event[any]) error {
	var customerIDs, addressIDs []int64
	for _, e := range events {
		id, address, err := subjectOf(e.Data)
		if err != nil {
			return err
		}
		if _, seen := b.customers[id]; !seen {
			b.customers[id] = nil
			customerIDs = append(customerIDs, id)
		}
		if address != 0 {
			addressIDs = append(addressIDs, address)
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
	var addresses []storedAddress
	if err := tx.SelectContext(ctx, &addresses, `SELECT `+addressColumns+` FROM customer_addresses
		WHERE customer_id = ANY($1) OR id = ANY($2)`, pq.Array(customerIDs), pq.Array(addressIDs)); err != nil {
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

// subjectOf is the customer an event is about and, for an address event, the address it writes (0 when none).
func subjectOf(data any) (customerID, addressID int64, err error) {
	switch d := data.(type) {
	case customer.Registered:
		return d.CustomerID, 0, nil
	case customer.ProfileChanged:
		return d.CustomerID, 0, nil
	case customer.EmailChanged:
		return d.CustomerID, 0, nil
	case customer.UsernameChanged:
		return d.CustomerID, 0, nil
	case customer.PasswordChanged:
		return d.CustomerID, 0, nil
	case customer.IdentityUnlinked:
		return d.CustomerID, 0, nil
	case customer.LoggedIn:
		return d.CustomerID, 0, nil
	case customer.EmailVerified:
		return d.CustomerID, 0, nil
	case customer.PictureSet:
		return d.CustomerID, 0, nil
	case customer.PictureRemoved:
		return d.CustomerID, 0, nil
	case customer.AddressAdded:
		return d.CustomerID, d.Address.ID, nil
	case customer.AddressUpdated:
		return d.CustomerID, d.Address.ID, nil
	case customer.Erased:
		return d.CustomerID, 0, nil
	}
	return 0, 0, fmt.Errorf("customer batch: unexpected event %T", data)
}
