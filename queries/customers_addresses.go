package queries

import (
	"encoding/json"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"
)

// Address is the Address resource (spec 3.8) of a customer, read from customer_addresses (as JSON, see
// selectAddressesJSON). Times are Unix
// seconds; optional text the customer never gave is null. CountryName is the English name of Country.
type Address struct {
	ID          int64   `json:"id"`
	Object      string  `json:"object"`
	UserID      int64   `json:"user_id"`
	Type        string  `json:"type"`
	FirstName   *string `json:"first_name"`
	LastName    *string `json:"last_name"`
	Title       *string `json:"title"`
	Salutation  *string `json:"salutation"`
	Company     *string `json:"company"`
	Department  *string `json:"department"`
	Line1       string  `json:"line1"`
	Line2       *string `json:"line2"`
	City        *string `json:"city"`
	State       *string `json:"state"`
	Country     string  `json:"country"`
	CountryName string  `json:"country_name"`
	PostalCode  *string `json:"postal_code"`
	Phone       *string `json:"phone"`
	IsDefault   bool    `json:"is_default"`
	CreatedAt   int64   `json:"created_at"`
	UpdatedAt   int64   `json:"updated_at"`
}

// selectAddressesJSON is the addresses of the customer row c as a JSON array of Address (in the order they
// were added), for selectCustomer. Optional text the customer never gave is null; times are Unix seconds.
const selectAddressesJSON = `SELECT coalesce(json_agg(json_build_object('id', id, 'user_id', customer_id,
	'type', type, 'first_name', NULLIF(first_name, ''), 'last_name', NULLIF(last_name, ''),
	'title', NULLIF(title, ''), 'salutation', NULLIF(salutation, ''), 'company', NULLIF(company, ''),
	'department', NULLIF(department, ''), 'line1', line1, 'line2', NULLIF(line2, ''), 'city', NULLIF(city, ''),
	'state', NULLIF(state, ''), 'country', country, 'postal_code', NULLIF(postal_code, ''),
	'phone', NULLIF(phone, ''), 'is_default', is_default, 'created_at', extract(epoch FROM created_at)::bigint,
	'updated_at', extract(epoch FROM updated_at)::bigint) ORDER BY created_at, id), '[]')
	FROM customer_addresses WHERE customer_id = c.id`

// addressesFrom decodes selectAddressesJSON's array, never nil.
func addressesFrom(array []byte) ([]Address, error) {
	addresses := []Address{}
	if err := json.Unmarshal(array, &addresses); err != nil {
		return nil, err
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
