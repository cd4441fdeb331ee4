package queries

import (
	"encoding/json"
	"time"
)

// CustomerAccount holds the Customer's account-keeping fields of spec 3.1. Each is derived from what the
// customer row's single statement already read (subscriptions, invoices, cards), so they cost no query of
// their own; fields this server keeps no data for are always false or null.
type CustomerAccount struct {
	// Currency is the currency the customer pays in, lower case: the one their first subscription (bought,
	// given or redeemed) fixed, which every later one shares; nil until they have one.
	Currency *string `json:"currency"`
	// Balance is the customer's credit in minor units: always 0. No credit is kept per customer: what a
	// downgrade leaves stays with its subscription and pays that subscription's next bills.
	Balance int64 `json:"balance"`
	// Delinquent is true while a subscription of the customer is past_due or unpaid, or an open invoice is
	// past its due date.
	Delinquent bool `json:"delinquent"`
	// DefaultSourceID is the id of the default card (Source), nil when the customer has none.
	DefaultSourceID *int64 `json:"default_source_id"`
	// No data: consents, phone confirmation, tax id, imports and the payment gateway's customer id are not
	// kept by this server.
	MailMarketing bool    `json:"mail_marketing"`
	TeleMarketing bool    `json:"tele_marketing"`
	PhoneConfirm  bool    `json:"phone_confirm"`
	TIN           *string `json:"tin"`
	IsImported    bool    `json:"is_imported"`
	ObjectID      *string `json:"object_id"`
}

// accountOf derives the account fields of c, whose lists are filled, at now; currency is the one its
// subscriptions were sold in (subscriptionLists.Currency).
func accountOf(c Customer, currency *string, now time.Time) CustomerAccount {
	account := CustomerAccount{Currency: currency, Delinquent: delinquent(c, now)}
	if c.Source != nil {
		id := c.Source.ID
		account.DefaultSourceID = &id
	}
	return account
}

// currencyOf is the currency the subscriptions were sold in (one per customer), nil when there are none.
func currencyOf(rows []subscriptionRow) *string {
	for _, row := range rows {
		var terms struct {
			Currency string `json:"currency"`
		}
		if json.Unmarshal(row.Terms, &terms) == nil && terms.Currency != "" {
			return &terms.Currency
		}
	}
	return nil
}

// delinquent reports whether c owes what is late at now: a subscription past_due or unpaid (running or
// ended), or an open invoice whose due date has passed.
func delinquent(c Customer, now time.Time) bool {
	for _, list := range [][]Subscription{c.Subscriptions, c.ExpiredSubscriptions} {
		for _, s := range list {
			if s.Status == "past_due" || s.Status == "unpaid" {
				return true
			}
		}
	}
	for _, i := range c.Invoices {
		if i.Status == "open" && i.DueDate != nil && *i.DueDate < now.Unix() {
			return true
		}
	}
	return false
}
