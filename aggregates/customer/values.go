package customer

// Profile is what a customer says about themselves (spec 2.1 register, 2.2 update): everything but the
// credentials, which have their own events. Metadata holds the publisher's free key/value pairs; a value is
// any JSON value.
type Profile struct {
	FirstName       string         `json:"first_name,omitempty"`
	LastName        string         `json:"last_name,omitempty"`
	DisplayName     string         `json:"display_name,omitempty"`
	Phone           string         `json:"phone,omitempty"`
	Salutation      string         `json:"salutation,omitempty"`
	Title           string         `json:"title,omitempty"`
	Organization    string         `json:"organization,omitempty"`
	OldProviderID   string         `json:"old_provider_id,omitempty"`
	Language        string         `json:"language,omitempty"`
	EmailHardbounce bool           `json:"email_hardbounce,omitempty"`
	Metadata        map[string]any `json:"metadata,omitempty" text:"multiline"`
}

// Address is one postal address of a customer (spec 3.8, rule 25). ID is its public integer id, allocated
// by the write side.
type Address struct {
	ID         int64       `json:"id"`
	Type       AddressType `json:"type"`
	FirstName  string      `json:"first_name,omitempty"`
	LastName   string      `json:"last_name,omitempty"`
	Title      string      `json:"title,omitempty"`
	Salutation string      `json:"salutation,omitempty"`
	Company    string      `json:"company,omitempty"`
	Department string      `json:"department,omitempty"`
	Line1      string      `json:"line1"`
	Line2      string      `json:"line2,omitempty"`
	City       string      `json:"city,omitempty"`
	State      string      `json:"state,omitempty"`
	PostalCode string      `json:"postal_code,omitempty"`
	Country    string      `json:"country"`
	Phone      string      `json:"phone,omitempty"`
	IsDefault  bool        `json:"is_default"`
}

// AddressType is what an address is for. Warning: the values are stored in events.
type AddressType string

// The address types of the Open API (Core's account_primary is not offered to customers).
const (
	AddressShipping AddressType = "shipping"
	AddressBilling  AddressType = "billing"
)

// Purpose is what a one-time token allows. Warning: the values are stored in events and mixed into the
// token's derivation; changing one invalidates every token of that purpose.
type Purpose string

// The one-time token purposes (rules 8–10).
const (
	PurposePasswordless      Purpose = "passwordless"
	PurposePasswordReset     Purpose = "password_reset"
	PurposeEmailVerification Purpose = "email_verification"
)
