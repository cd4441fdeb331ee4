package queries

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Address is the Address resource (spec 3.8) of a customer, read from customer_addresses. Times are Unix
// seconds; optional text the customer never gave is null. CountryName is the English name of Country.
type Address struct {
	ID          int64   `db:"id" json:"id"`
	Object      string  `db:"-" json:"object"`
	UserID      int64   `db:"customer_id" json:"user_id"`
	Type        string  `db:"type" json:"type"`
	FirstName   *string `db:"first_name" json:"first_name"`
	LastName    *string `db:"last_name" json:"last_name"`
	Title       *string `db:"title" json:"title"`
	Salutation  *string `db:"salutation" json:"salutation"`
	Company     *string `db:"company" json:"company"`
	Department  *string `db:"department" json:"department"`
	Line1       string  `db:"line1" json:"line1"`
	Line2       *string `db:"line2" json:"line2"`
	City        *string `db:"city" json:"city"`
	State       *string `db:"state" json:"state"`
	Country     string  `db:"country" json:"country"`
	CountryName string  `db:"-" json:"country_name"`
	PostalCode  *string `db:"postal_code" json:"postal_code"`
	Phone       *string `db:"phone" json:"phone"`
	IsDefault   bool    `db:"is_default" json:"is_default"`
	CreatedAt   int64   `db:"created_at" json:"created_at"`
	UpdatedAt   int64   `db:"updated_at" json:"updated_at"`
}

const selectAddresses = `SELECT id, customer_id, type, NULLIF(first_name, '') AS first_name,
	NULLIF(last_name, '') AS last_name, NULLIF(title, '') AS title, NULLIF(salutation, '') AS salutation,
	NULLIF(company, '') AS company, NULLIF(department, '') AS department, line1, NULLIF(line2, '') AS line2,
	NULLIF(city, '') AS city, NULLIF(state, '') AS state, country, NULLIF(postal_code, '') AS postal_code,
	NULLIF(phone, '') AS phone, is_default, extract(epoch FROM created_at)::bigint AS created_at,
	extract(epoch FROM updated_at)::bigint AS updated_at
	FROM customer_addresses WHERE customer_id = $1 ORDER BY created_at, id`

// addressesOf returns the customer's addresses in the order they were added, never nil.
func addressesOf(ctx context.Context, tx *sqlx.Tx, customerID int64) ([]Address, error) {
	addresses := []Address{}
	if err := tx.SelectContext(ctx, &addresses, selectAddresses, customerID); err != nil {
		return nil, fmt.Errorf("queries: addresses of customer %d: %w", customerID, err)
	}
	for i := range addresses {
		addresses[i].Object = "address"
		addresses[i].CountryName = countryName(addresses[i].Country)
	}
	return addresses, nil
}

// countryName is the English name of an ISO 3166-1 alpha-2 code, or the code itself when unknown.
func countryName(code string) string {
	region, err := language.ParseRegion(code)
	if err != nil {
		return code
	}
	if name := display.English.Regions().Name(region); name != "" {
		return name
	}
	return code
}
