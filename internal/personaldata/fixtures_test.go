package personaldata_test

import (
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
)

var at = time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)

// annsSecrets are the personal values of Ann's events: none may be stored in the clear, nor read back once
// Ann is erased.
var annsSecrets = []string{"ann.zyxwvut@example.com", "Ann_Zy", "argon2id-hash-of-ann", "Annabel", "Zyxwvut",
	"15550102030", "Quuxcorp", "42 Wallaby Way", "google-subject-8812"}

// annsHistory is a customer's life with every kind of personal field.
func annsHistory(id int64) []any {
	profile := customer.Profile{FirstName: "Annabel", LastName: "Zyxwvut", Phone: "15550102030", Language: "en",
		Metadata: map[string]any{"employer": "Quuxcorp"}}
	return []any{
		customer.Registered{CustomerID: id, AccountID: 1, SiteID: 1232, Email: "ann.zyxwvut@example.com", Username: "Ann_Zy",
			PasswordHash: "argon2id-hash-of-ann", Profile: profile, Method: customer.MethodPassword, RegisteredAt: at},
		customer.AddressAdded{CustomerID: id, Address: customer.Address{ID: 77, Type: customer.AddressBilling,
			FirstName: "Annabel", LastName: "Zyxwvut", Line1: "42 Wallaby Way", City: "Sydney", Country: "AU"}, AddedAt: at},
		customer.IdentityLinked{CustomerID: id, Provider: "google", Subject: "google-subject-8812", LinkedAt: at},
		customer.OneTimeTokenIssued{CustomerID: id, SiteID: 1232, Purpose: customer.PurposePasswordless,
			Email: "ann.zyxwvut@example.com", Nonce: "nonce-1", TokenHash: "token-hash-1", ExpiresAt: at, IssuedAt: at},
		customer.LoggedIn{CustomerID: id, SiteID: 1232, Method: customer.MethodPassword, LoggedInAt: at},
	}
}

// ninasSubscription is a newsletter entry with its personal details.
func ninasSubscription(email string) newsletter.Subscribed {
	return newsletter.Subscribed{SiteID: 1232, Email: email, Details: newsletter.Details{FirstName: "Ninette",
		LastName: "Quorra", ConsentIP: "203.0.113.77", Source: "web"}, SubscribedAt: at}
}
