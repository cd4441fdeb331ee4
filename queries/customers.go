package queries

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"
)

// Customer is the Customer resource (spec 3.1), read from the customers and customer_addresses tables of
// projections/customer. Times are Unix seconds, as the spec gives them for its other resources; optional
// text the customer never gave is null.
//
// The HTTP layer completes it: ProfilePhoto is the stored file name, which only transport can turn into a
// URL (set ProfilePhotoURL, or shadow "profile_photo" in a wrapper struct), and auth_token/token are added
// by the caller (a wrapper struct embedding Customer) on the endpoints that return a JWT (rule 3).
type Customer struct {
	ID     int64  `db:"id" json:"id"`
	Object string `db:"-" json:"object"`
	// AccountID is the account the customer belongs to (tokens name it); the resource does not show it.
	AccountID       int64           `db:"account_id" json:"-"`
	SiteID          int64           `db:"site_id" json:"site_id"`
	Email           string          `db:"email" json:"email"`
	EmailConfirm    bool            `db:"email_confirm" json:"email_confirm"`
	EmailHardbounce bool            `db:"email_hardbounce" json:"email_hardbounce"`
	Username        *string         `db:"username" json:"username"`
	FirstName       *string         `db:"first_name" json:"first_name"`
	LastName        *string         `db:"last_name" json:"last_name"`
	Name            *string         `db:"name" json:"name"`
	FullName        *string         `db:"-" json:"full_name"`
	DisplayName     *string         `db:"display_name" json:"display_name"`
	Phone           *string         `db:"phone" json:"phone"`
	Salutation      *string         `db:"salutation" json:"salutation"`
	Title           *string         `db:"title" json:"title"`
	Organization    *string         `db:"organization" json:"organization"`
	OldProviderID   *string         `db:"old_provider_id" json:"old_provider_id"`
	Metadata        json.RawMessage `db:"metadata" json:"metadata"`
	Language        *string         `db:"language" json:"language"`
	HasPassword     bool            `db:"has_password" json:"has_password"`
	// PasswordLastUpdatedAt is null for a customer who never had a password (created by an identity provider).
	PasswordLastUpdatedAt *int64  `db:"password_last_updated_at" json:"password_last_updated_at"`
	LastLoginMethod       *string `db:"last_login_method" json:"last_login_method"`
	LastLoginAt           *int64  `db:"last_login_at" json:"last_login_at"`
	// ProfilePhoto is the photo's file name in the media directory, "" when none; never shown as is.
	ProfilePhoto string `db:"profile_photo" json:"-"`
	// ProfilePhotoURL is the photo's URL, which the caller sets from ProfilePhoto; null when unset.
	ProfilePhotoURL *string   `db:"-" json:"profile_photo"`
	CreatedAt       int64     `db:"created_at" json:"created_at"`
	UpdatedAt       int64     `db:"updated_at" json:"updated_at"`
	Addresses       []Address `db:"-" json:"addresses"`
	// Subscriptions run (or wait for their first payment), ExpiredSubscriptions ended; GiftRecipients are the
	// gifts the customer gave (projections/subscription). Memberships are the seats the customer claimed
	// whose owner's subscription runs, ExpiredMemberships those whose owner's subscription ended
	// (projections/membership).
	Subscriptions        []Subscription  `db:"-" json:"subscriptions"`
	ExpiredSubscriptions []Subscription  `db:"-" json:"expired_subscriptions"`
	Memberships          []Membership    `db:"-" json:"memberships"`
	ExpiredMemberships   []Membership    `db:"-" json:"expired_memberships"`
	GiftRecipients       []GiftRecipient `db:"-" json:"gift_recipients"`
	// Invoices are the open and paid ones, Charges the payments that paid them.
	Invoices []Invoice `db:"-" json:"invoices"`
	Charges  []Charge  `db:"-" json:"charges"`
	// Orders are the e-commerce orders paid, or pending while their charge waits for 3-D Secure.
	Orders []Order `db:"-" json:"orders"`
	// Sources are the customer's saved cards, Source the default one (null when none).
	Sources []PaymentMethod `db:"-" json:"sources"`
	Source  *PaymentMethod  `db:"-" json:"source"`

	// CustomerAccount: currency, balance, delinquent and the other account fields, derived after the read.
	CustomerAccount `db:"-"`
}

// Customers answers the customer queries from the tables of projections/customer. Its methods may be
// called concurrently.
type Customers struct {
	DB *sqlx.DB
	// Plans, when set, answers the catalog plans the Customer embeds in its subscriptions and memberships
	// (`pelcro serve` sets its CachedCatalog: one statement fewer per Customer, which every customer write
	// answers with); nil reads them from DB.
	//
	// Warning: it must answer from DB's catalog read models and drop what it keeps as soon as this process
	// applies a catalog change (CachedCatalog's version), or a Customer could embed a plan the catalog no
	// longer has.
	Plans PlanReader
}

var selectCustomer = `SELECT id, account_id, site_id, email, email_confirm, email_hardbounce,
	NULLIF(username, '') AS username, NULLIF(first_name, '') AS first_name, NULLIF(last_name, '') AS last_name,
	NULLIF(btrim(first_name || ' ' || last_name), '') AS name, NULLIF(display_name, '') AS display_name,
	NULLIF(phone, '') AS phone, NULLIF(salutation, '') AS salutation, NULLIF(title, '') AS title,
	NULLIF(organization, '') AS organization, NULLIF(old_provider_id, '') AS old_provider_id, metadata,
	NULLIF(language, '') AS language, has_password,
	` + unixSeconds("password_last_updated_at") + ` AS password_last_updated_at,
	NULLIF(last_login_method, '') AS last_login_method, ` + unixSeconds("last_login_at") + ` AS last_login_at,
	profile_photo, ` + unixSeconds("created_at") + ` AS created_at,
	` + unixSeconds("updated_at") + ` AS updated_at, (` + selectAddressesJSON + `) AS addresses,
	(` + selectSourcesJSON + `) AS sources, (` + selectInvoicesJSON + `) AS invoices,
	(` + selectChargesJSON + `) AS charges, (` + selectSubscriptionsJSON + `) AS subscriptions,
	(` + selectOrdersJSON + `) AS orders, (` + selectMembershipsJSON + `) AS memberships
	FROM customers c WHERE id = $1`

// Customer returns the customer with that id, their addresses, cards, invoices and charges, or ErrNotFound. One statement
// reads them all, so they match the customer row and a read costs one query (every write answers with it).
func (c Customers) Customer(ctx context.Context, id int64) (Customer, error) {
	plans := plansIn(c.DB)
	if c.Plans != nil {
		plans = plansFrom(c.Plans)
	}
	return customerIn(ctx, c.DB, plans, id)
}

// CustomerIn is Customer read through q: a transaction whose search path puts other copies of the read-model
// tables first (the operator's time travel) gets the resource those tables hold, built by the same code.
func CustomerIn(ctx context.Context, q sqlx.QueryerContext, id int64) (Customer, error) {
	return customerIn(ctx, q, plansIn(q), id)
}

// customerIn is CustomerIn with the embedded plans found by plans.
func customerIn(ctx context.Context, q sqlx.QueryerContext, plans planFinder, id int64) (Customer, error) {
	var row struct {
		Customer
		AddressesJSON []byte `db:"addresses"`
		SourcesJSON   []byte `db:"sources"`
		InvoicesJSON  []byte `db:"invoices"`
		ChargesJSON   []byte `db:"charges"`
		Subscriptions []byte `db:"subscriptions"`
		Memberships   []byte `db:"memberships"`
		OrdersJSON    []byte `db:"orders"`
	}
	err := sqlx.GetContext(ctx, q, &row, selectCustomer, id)
	if errors.Is(err, sql.ErrNoRows) {
		return Customer{}, ErrNotFound
	}
	if err != nil {
		return Customer{}, fmt.Errorf("queries: customer %d: %w", id, err)
	}
	customer := row.Customer
	customer.FullName = customer.Name
	if customer.Addresses, err = addressesFrom(row.AddressesJSON); err != nil {
		return Customer{}, fmt.Errorf("queries: addresses of customer %d: %w", id, err)
	}
	if customer.Sources, err = paymentMethodsFrom(row.SourcesJSON); err != nil {
		return Customer{}, fmt.Errorf("queries: payment methods of customer %d: %w", id, err)
	}
	customer.Source = defaultOf(customer.Sources)
	if customer.Invoices, customer.Charges, err = invoicesFrom(row.InvoicesJSON, row.ChargesJSON); err != nil {
		return Customer{}, fmt.Errorf("queries: invoices of customer %d: %w", id, err)
	}
	lists, err := subscriptionsFrom(ctx, plans, row.Subscriptions)
	if err != nil {
		return Customer{}, fmt.Errorf("queries: subscriptions of customer %d: %w", id, err)
	}
	customer.Object = "customer"
	customer.Subscriptions, customer.ExpiredSubscriptions, customer.GiftRecipients = lists.Running, lists.Expired, lists.Gifts
	if customer.Memberships, customer.ExpiredMemberships, err = membershipsFrom(ctx, plans, row.Memberships); err != nil {
		return Customer{}, fmt.Errorf("queries: memberships of customer %d: %w", id, err)
	}
	if customer.Orders, err = ordersFrom(row.OrdersJSON); err != nil {
		return Customer{}, fmt.Errorf("queries: orders of customer %d: %w", id, err)
	}
	customer.CustomerAccount = accountOf(customer, lists.Currency, time.Now())
	return customer, nil
}
