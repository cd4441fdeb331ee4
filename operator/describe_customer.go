package operator

import (
	"fmt"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
)

// customerDescribers describe the customer events. Personal values (emails, names) are never part of a
// sentence: a timeline is read by people who were not shown --reveal.
var customerDescribers = map[string]describer{
	"customer.registered": describeAs(func(e customer.Registered) string {
		return fmt.Sprintf("Customer %d registered on site %d (account %d) by %s", e.CustomerID, e.SiteID, e.AccountID, orDefault(e.Method, "password"))
	}),
	"customer.profile_changed": describeAs(func(e customer.ProfileChanged) string {
		return fmt.Sprintf("Customer %d changed their profile", e.CustomerID)
	}),
	"customer.email_changed": describeAs(func(e customer.EmailChanged) string {
		return fmt.Sprintf("Customer %d changed their email (unconfirmed until verified)", e.CustomerID)
	}),
	"customer.username_changed": describeAs(func(e customer.UsernameChanged) string {
		return fmt.Sprintf("Customer %d changed their username", e.CustomerID)
	}),
	"customer.password_changed": describeAs(func(e customer.PasswordChanged) string {
		how := "changed"
		if e.ResetTokenHash != "" {
			how = "reset with an emailed link"
		}
		return fmt.Sprintf("Customer %d's password was %s; older sessions signed out", e.CustomerID, how)
	}),
	"customer.password_rehashed": describeAs(func(e customer.PasswordRehashed) string {
		return fmt.Sprintf("Customer %d's password hash was upgraded at sign-in (password unchanged)", e.CustomerID)
	}),
	"customer.logged_in": describeAs(func(e customer.LoggedIn) string {
		return fmt.Sprintf("Customer %d signed in on site %d by %s", e.CustomerID, e.SiteID, orDefault(e.Method, "password"))
	}),
	"customer.one_time_token_issued": describeAs(func(e customer.OneTimeTokenIssued) string {
		return fmt.Sprintf("A one-time %s link was emailed to customer %d, valid until %s", e.Purpose, e.CustomerID,
			e.ExpiresAt.UTC().Format("2006-01-02 15:04 MST"))
	}),
	"customer.email_verified": describeAs(func(e customer.EmailVerified) string {
		return fmt.Sprintf("Customer %d verified an email address", e.CustomerID)
	}),
	"customer.picture_set": describeAs(func(e customer.PictureSet) string {
		return fmt.Sprintf("Customer %d set a profile picture", e.CustomerID)
	}),
	"customer.picture_removed": describeAs(func(e customer.PictureRemoved) string {
		return fmt.Sprintf("Customer %d removed their profile picture", e.CustomerID)
	}),
	"customer.address_added": describeAs(func(e customer.AddressAdded) string {
		return fmt.Sprintf("Customer %d added address %d", e.CustomerID, e.Address.ID)
	}),
	"customer.address_updated": describeAs(func(e customer.AddressUpdated) string {
		return fmt.Sprintf("Customer %d updated address %d", e.CustomerID, e.Address.ID)
	}),
	"customer.address_attached": describeAs(func(e customer.AddressAttached) string {
		return fmt.Sprintf("Subscription %d took address %d of customer %d: its country and state stay while the subscription uses it",
			e.SubscriptionID, e.AddressID, e.CustomerID)
	}),
	"customer.identity_linked": describeAs(func(e customer.IdentityLinked) string {
		return fmt.Sprintf("Customer %d linked a %s sign-in", e.CustomerID, e.Provider)
	}),
	"customer.identity_unlinked": describeAs(func(e customer.IdentityUnlinked) string {
		return fmt.Sprintf("Customer %d unlinked their %s sign-in; its sessions signed out", e.CustomerID, e.Provider)
	}),
	"customer.erased": describeAs(func(e customer.Erased) string {
		return fmt.Sprintf("Customer %d was erased: their personal data is gone for good", e.CustomerID)
	}),
}

func orDefault(s, fallback string) string {
	if s == "" {
		return fallback
	}
	return s
}
