// Package customer is the customer aggregate (spec 2.1, 2.2, 2.8, 3.1; business rules 2–11 and 25): a
// person registered on the sites of one account, with credentials, a profile, one-time tokens and addresses.
// Each customer is one stream, named by its integer public id ("customer-<id>"). Uniqueness of email and
// username per account is not a rule of this aggregate: commands claim them in reservation streams before
// any customer event is written (see docs/customers.md).
package customer

import (
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// Event is implemented by every customer event. Every event carries the customer id and its business time.
// Fields tagged personal are sealed under the customer's key in the store and read back as their zero value
// once the customer is erased (see aggregates.PersonalTag): Evolve and every reader must accept that.
type Event interface {
	isCustomerEvent()
}

// Registered records a new customer. PasswordHash is an encoded argon2id hash (empty for a customer created by
// an identity provider, who has no password yet); Method says how the customer signed up ("password",
// "idp:google", …).
type Registered struct {
	CustomerID   int64     `json:"customer_id"`
	AccountID    int64     `json:"account_id"`
	SiteID       int64     `json:"site_id"`
	Email        string    `json:"email" personal:"true"`
	Username     string    `json:"username,omitempty" personal:"true"`
	PasswordHash string    `json:"password_hash,omitempty" personal:"true" secret:"true"`
	Profile      Profile   `json:"profile" personal:"true"`
	Method       string    `json:"method"`
	RegisteredAt time.Time `json:"registered_at"`
}

// ProfileChanged records the profile after a change, carried whole (not only what changed) so a reader needs
// no earlier event to know it.
type ProfileChanged struct {
	CustomerID int64     `json:"customer_id"`
	Profile    Profile   `json:"profile" personal:"true"`
	ChangedAt  time.Time `json:"changed_at"`
}

// EmailChanged records a new email address; it is unconfirmed until EmailVerified names it (rule 10).
type EmailChanged struct {
	CustomerID int64     `json:"customer_id"`
	Email      string    `json:"email" personal:"true"`
	ChangedAt  time.Time `json:"changed_at"`
}

// UsernameChanged records a new username ("" removes it).
type UsernameChanged struct {
	CustomerID int64     `json:"customer_id"`
	Username   string    `json:"username" personal:"true"`
	ChangedAt  time.Time `json:"changed_at"`
}

// PasswordChanged records a new password hash. ResetTokenHash names the password-reset token that allowed
// it, which is spent from then on (rule 9: single use); it is empty for an update with the old password.
type PasswordChanged struct {
	CustomerID     int64     `json:"customer_id"`
	PasswordHash   string    `json:"password_hash" personal:"true" secret:"true"`
	ResetTokenHash string    `json:"reset_token_hash,omitempty" secret:"true"`
	ChangedAt      time.Time `json:"changed_at"`
}

// PasswordRehashed records the same password hashed again with stronger parameters, at a sign-in that
// proved the password: the hash changes, the password does not (so it is not a PasswordChanged).
type PasswordRehashed struct {
	CustomerID   int64     `json:"customer_id"`
	PasswordHash string    `json:"password_hash" personal:"true" secret:"true"`
	RehashedAt   time.Time `json:"rehashed_at"`
}

// LoggedIn records a successful sign-in on a site, by Method ("password", "passwordless", "idp:google", …),
// in the customer's sign-in stream (SignInStreamPrefix); older ones sit in the customer's own stream.
type LoggedIn struct {
	CustomerID int64     `json:"customer_id"`
	SiteID     int64     `json:"site_id"`
	Method     string    `json:"method"`
	LoggedInAt time.Time `json:"logged_in_at"`
}

// OneTimeTokenIssued records a token sent by mail (passwordless login, password reset, email verification).
// The token itself is never stored (the log is forever): only TokenHash, and Nonce from which the server, holding the
// secret key, can derive the token again to build the mail (internal/auth.OneTimeToken). Email is where the
// mail goes, Language what it is written in (the customer's stored language, else the request's; sealed like
// the profile's language it repeats); events written before it was recorded have none, and their mail takes
// the site's default language.
type OneTimeTokenIssued struct {
	CustomerID int64     `json:"customer_id"`
	SiteID     int64     `json:"site_id"`
	Purpose    Purpose   `json:"purpose"`
	Email      string    `json:"email" personal:"true"`
	Nonce      string    `json:"nonce" secret:"true"`
	TokenHash  string    `json:"token_hash" secret:"true"`
	ExpiresAt  time.Time `json:"expires_at"`
	IssuedAt   time.Time `json:"issued_at"`
	Language   string    `json:"language,omitempty" personal:"true"`
}

// EmailVerified records that the customer proved they own Email (rule 10). It spends every verification
// link sent to Email, the one used and any other: a link confirms once (spec #16), and no older link can
// confirm Email again should the customer change their email and come back to it.
type EmailVerified struct {
	CustomerID int64     `json:"customer_id"`
	Email      string    `json:"email" personal:"true"`
	VerifiedAt time.Time `json:"verified_at"`
}

// PictureSet records a new profile photo, stored under File (a name inside the media directory); it replaces
// the previous one (rule 11).
type PictureSet struct {
	CustomerID int64     `json:"customer_id"`
	File       string    `json:"file"`
	SetAt      time.Time `json:"set_at"`
}

// PictureRemoved records that the profile photo was removed.
type PictureRemoved struct {
	CustomerID int64     `json:"customer_id"`
	RemovedAt  time.Time `json:"removed_at"`
}

// AddressAdded records a new address. When it is the default of its type, the previous default of that type
// stops being one (rule 25).
type AddressAdded struct {
	CustomerID int64     `json:"customer_id"`
	Address    Address   `json:"address" personal:"true"`
	AddedAt    time.Time `json:"added_at"`
}

// AddressUpdated records an address after a change, carried whole; the default rule is as for AddressAdded.
type AddressUpdated struct {
	CustomerID int64     `json:"customer_id"`
	Address    Address   `json:"address" personal:"true"`
	UpdatedAt  time.Time `json:"updated_at"`
}

// AddressAttached records that a subscription is about to use one of the customer's addresses (created,
// renewed or changed on it, or moved to it): from then on the address's country and state cannot change
// while the subscription uses it (spec #47, see Attachment). Recorded again each time a subscription takes
// the address, so At is always the latest.
type AddressAttached struct {
	CustomerID     int64     `json:"customer_id"`
	AddressID      int64     `json:"address_id"`
	SubscriptionID int64     `json:"subscription_id"`
	AttachedAt     time.Time `json:"attached_at"`
}

// IdentityLinked records that an identity provider's account (Provider, Subject) signs this customer in.
// EmailUnverified says the provider did not vouch for the customer's email when it was linked: such a link
// lasts only until the email's owner proves themselves by a mailed link (IdentityUnlinked), so whoever typed
// the email at a provider cannot keep a foothold in an account that is not theirs.
type IdentityLinked struct {
	CustomerID      int64     `json:"customer_id"`
	Provider        string    `json:"provider"`
	Subject         string    `json:"subject" personal:"true"`
	EmailUnverified bool      `json:"email_unverified,omitempty"`
	LinkedAt        time.Time `json:"linked_at"`
}

// IdentityUnlinked records that a provider's account no longer signs this customer in.
type IdentityUnlinked struct {
	CustomerID int64     `json:"customer_id"`
	Provider   string    `json:"provider"`
	Subject    string    `json:"subject" personal:"true"`
	UnlinkedAt time.Time `json:"unlinked_at"`
}

func (Registered) isCustomerEvent()         {}
func (ProfileChanged) isCustomerEvent()     {}
func (EmailChanged) isCustomerEvent()       {}
func (UsernameChanged) isCustomerEvent()    {}
func (PasswordChanged) isCustomerEvent()    {}
func (LoggedIn) isCustomerEvent()           {}
func (PasswordRehashed) isCustomerEvent()   {}
func (OneTimeTokenIssued) isCustomerEvent() {}
func (EmailVerified) isCustomerEvent()      {}
func (PictureSet) isCustomerEvent()         {}
func (PictureRemoved) isCustomerEvent()     {}
func (AddressAdded) isCustomerEvent()       {}
func (AddressUpdated) isCustomerEvent()     {}
func (AddressAttached) isCustomerEvent()    {}
func (IdentityLinked) isCustomerEvent()     {}
func (IdentityUnlinked) isCustomerEvent()   {}

// Events names every customer event. Warning: the names are a stored format (see aggregates.Registry);
// renaming one orphans the events already written.
var Events = func() *aggregates.Registry {
	r := aggregates.NewRegistry()
	aggregates.MustRegister[Registered](r, "customer.registered")
	aggregates.MustRegister[ProfileChanged](r, "customer.profile_changed")
	aggregates.MustRegister[EmailChanged](r, "customer.email_changed")
	aggregates.MustRegister[UsernameChanged](r, "customer.username_changed")
	aggregates.MustRegister[PasswordChanged](r, "customer.password_changed")
	aggregates.MustRegister[LoggedIn](r, "customer.logged_in")
	aggregates.MustRegister[PasswordRehashed](r, "customer.password_rehashed")
	aggregates.MustRegister[OneTimeTokenIssued](r, "customer.one_time_token_issued")
	aggregates.MustRegister[EmailVerified](r, "customer.email_verified")
	aggregates.MustRegister[PictureSet](r, "customer.picture_set")
	aggregates.MustRegister[PictureRemoved](r, "customer.picture_removed")
	aggregates.MustRegister[AddressAdded](r, "customer.address_added")
	aggregates.MustRegister[AddressUpdated](r, "customer.address_updated")
	aggregates.MustRegister[AddressAttached](r, "customer.address_attached")
	aggregates.MustRegister[IdentityLinked](r, "customer.identity_linked")
	aggregates.MustRegister[IdentityUnlinked](r, "customer.identity_unlinked")
	aggregates.MustRegister[Erased](r, "customer.erased")
	return r
}()
