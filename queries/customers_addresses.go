package queries

import (
	"encoding/json"

	"golang.org/x/text/language"
	"golang.org/x/text/language/display"

	"github.com/pelcro-oss/pelcro-api/internal/geo"
)

// Address is the Address resource (spec 3.8) of a customer, read from customer_addresses (as JSON, see
// selectAddressesJSON). Times are Unix seconds; optional text the customer never gave is null. CountryName
// is the English name of Country, StateName the English (ISO 3166-2) name of State when it is a subdivision
// code of the country, else State as given. OldProviderID (an id of the address at a provider it was
// imported from) is always null: addresses are never imported.
type Address struct {
	ID            int64   `json:"id"`
	Object        string  `json:"object"`
	UserID        int64   `json:"user_id"`
	Type          string  `json:"type"`
	FirstName     *string `json:"first_name"`
	LastName      *string `json:"last_name"`
	Title         *string `json:"title"`
	Salutation    *string `json:"salutation"`
	Company       *string `json:"company"`
	Department    *string `json:"department"`
	Line1         string  `json:"line1"`
	Line2         *string `json:"line2"`
	City          *string `json:"city"`
	State         *string `json:"state"`
	StateName     *string `json:"state_name"`
	Country       string  `json:"country"`
	CountryName   string  `json:"country_name"`
	PostalCode    *string `json:"postal_code"`
	Phone         *string `json:"phone"`
	IsDefault     bool    `json:"is_default"`
	OldProviderID *string `json:"old_provider_id"`
	CreatedAt     int64   `json:"created_at"`
	UpdatedAt     int64   `json:"updated_at"`
}

// selectAddressesJSON is the addresses of the customer row c as a JSON array of Address (in the order they
// were added), for selectCustomer. Optional text the customer never gave is null; times are Unix seconds.
//
// Each address is a row (the lateral a) whose column names are the JSON keys, aggregated whole: PostgreSQL
// then builds every object with one cached output function per column, where json_build_object took forty
// arguments an address. The addresses make most of the statement's cost, and a customer may hold dozens.
// The order uses a's source row (ca), so the exact times never reach the JSON.
var selectAddressesJSON = `SELECT coalesce(json_agg(a ORDER BY ca.created_at, ca.id), '[]')
	FROM customer_addresses ca CROSS JOIN LATERAL (SELECT ca.id, ca.customer_id AS user_id, ca.type,
		NULLIF(ca.first_name, '') AS first_name, NULLIF(ca.last_name, '') AS last_name,
		NULLIF(ca.title, '') AS title, NULLIF(ca.salutation, '') AS salutation, NULLIF(ca.company, '') AS company,
		NULLIF(ca.department, '') AS department, ca.line1, NULLIF(ca.line2, '') AS line2,
		NULLIF(ca.city, '') AS city, NULLIF(ca.state, '') AS state, ca.country,
		NULLIF(ca.postal_code, '') AS postal_code, NULLIF(ca.phone, '') AS phone, ca.is_default,
		` + unixSeconds("ca.created_at") + ` AS created_at,
		` + unixSeconds("ca.updated_at") + ` AS updated_at) a
	WHERE ca.customer_id = c.id`

// addressesFrom decodes selectAddressesJSON's array, never nil.
func addressesFrom(array []byte) ([]Address, error) {
	addresses := []Address{}
	if err := json.Unmarshal(array, &addresses); err != nil {
		return nil, err
	}
	for i := range addresses {
		addresses[i].Object = "address"
		addresses[i].CountryName = countryName(addresses[i].Country)
		addresses[i].StateName = stateName(addresses[i].Country, addresses[i].State)
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

// stateName is the English name of a subdivision code of country (geo.States: "Quebec" for CA and QC), or the
// state itself when it names no subdivision (a free-text state); nil without a state.
func stateName(country string, state *string) *string {
	if state == nil {
		return nil
	}
	if name, ok := geo.States(country, language.English)[*state]; ok {
		return &name
	}
	return state
}
