package queries_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// accountFields are the Customer's account fields, as compared here.
type accountFields struct {
	Currency        string // "" for null
	Delinquent      bool
	DefaultSourceID int64 // 0 for null
}

func TestCustomerAccountFieldsFollowTheReadModels(t *testing.T) {
	t.Parallel()
	now := time.Now()
	type sub struct {
		status, currency string
		gift             bool // the customer gave it
	}
	type inv struct {
		status string
		due    time.Time // zero: no due date
	}
	cases := []struct {
		name string
		subs []sub
		invs []inv
		card bool // a default card
		want accountFields
	}{
		{name: "no purchase yet", want: accountFields{}},
		{name: "an active subscription fixes the currency", subs: []sub{{"active", "cad", false}}, want: accountFields{Currency: "cad"}},
		{name: "a gift given fixes it too", subs: []sub{{"active", "eur", true}}, want: accountFields{Currency: "eur"}},
		{name: "an ended subscription keeps it", subs: []sub{{"canceled", "usd", false}}, want: accountFields{Currency: "usd"}},
		{name: "past due", subs: []sub{{"active", "usd", false}, {"past_due", "usd", false}}, want: accountFields{Currency: "usd", Delinquent: true}},
		{name: "unpaid (ended)", subs: []sub{{"unpaid", "usd", false}}, want: accountFields{Currency: "usd", Delinquent: true}},
		{name: "an open invoice past its due date", invs: []inv{{"open", now.Add(-time.Hour)}}, want: accountFields{Delinquent: true}},
		{name: "an open invoice not due yet", invs: []inv{{"open", now.Add(time.Hour)}}, want: accountFields{}},
		{name: "an open invoice without a due date", invs: []inv{{"open", time.Time{}}}, want: accountFields{}},
		{name: "a paid invoice past its due date", invs: []inv{{"paid", now.Add(-time.Hour)}}, want: accountFields{}},
		{name: "a default card", card: true, want: accountFields{DefaultSourceID: 900}},
	}
	// Given one customer per case, with the case's subscriptions, invoices and card in the read models
	streams := map[string][]customer.Event{}
	for i := range cases {
		id := int64(100 + i)
		streams[fmt.Sprintf("customer-%d", id)] = []customer.Event{customer.Registered{CustomerID: id, AccountID: 1,
			SiteID: 1232, Email: fmt.Sprintf("c%d@example.com", id), Method: "password", RegisteredAt: registeredAt}}
	}
	db := projectCustomers(t, streams)
	for i, tc := range cases {
		id := int64(100 + i)
		for j, s := range tc.subs {
			kind := "standard"
			if s.gift {
				kind = "gift_donor"
			}
			if _, err := db.Exec(`INSERT INTO subscriptions (id, customer_id, account_id, site_id, type, status, plan_id,
				terms, quantity, auto_renew, cancel_mode, cancel_reason, current_period_start, current_period_end,
				address_id, phases, billing, campaign_key, metadata, domains, ip_addresses, latest_invoice, gift_code,
				gift_recipient_email, gift_recipient_first_name, gift_recipient_last_name, gift_message, is_paid,
				is_redeemed, created_at, updated_at, state, revision)
				VALUES ($1, $2, 1, 1232, $3, $4, 4051, $5, 1, true, '', '', $6, $6, 0, '[]', 'charge_automatically',
				'', '{}', '[]', '[]', 0, '', '', '', '', '', true, false, $6, $6, '{}', 0)`,
				id*10+int64(j), id, kind, s.status, fmt.Sprintf(`{"plan_id":4051,"amount":500,"currency":%q}`, s.currency),
				registeredAt); err != nil {
				t.Fatalf("insert subscription: %v", err)
			}
		}
		for j, in := range tc.invs {
			var due *time.Time
			if !in.due.IsZero() {
				due = &in.due
			}
			if _, err := db.Exec(`INSERT INTO invoices (id, customer_id, account_id, site_id, status, currency, subtotal,
				tax, discount, total, amount_paid, lines, billing_reason, subscription_id, description, due_at,
				attempt_count, pending_intent_id, created_at, updated_at, revision)
				VALUES ($1, $2, 1, 1232, $3, 'usd', 500, 0, 0, 500, 0, '[]', 'manual', 0, '', $4, 0, '', $5, $5, 0)`,
				id*10+int64(j), id, in.status, due, registeredAt); err != nil {
				t.Fatalf("insert invoice: %v", err)
			}
		}
		if tc.card {
			if _, err := db.Exec(`INSERT INTO payment_methods (id, customer_id, gateway, object_id, status, brand, last4,
				exp_month, exp_year, country, funding, fingerprint, setup_intent_id, is_default, created_at, updated_at, revision)
				VALUES (900, $1, 'stripe', 'pm_1', 'chargeable', 'visa', '4242', 12, 2030, '', '', '', '', true, $2, $2, 0)`,
				id, registeredAt); err != nil {
				t.Fatalf("insert card: %v", err)
			}
		}
	}
	customers := queries.Customers{DB: db}
	for i, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// When the customer is read
			c, err := customers.Customer(t.Context(), int64(100+i))
			if err != nil {
				t.Fatal(err)
			}
			// Then the account fields say what the read models hold; the ones without data are false or null
			got := accountFields{Delinquent: c.Delinquent}
			if c.Currency != nil {
				got.Currency = *c.Currency
			}
			if c.DefaultSourceID != nil {
				got.DefaultSourceID = *c.DefaultSourceID
			}
			if got != tc.want {
				t.Errorf("account fields = %+v, want %+v", got, tc.want)
			}
			if c.Balance != 0 || c.MailMarketing || c.TeleMarketing || c.PhoneConfirm || c.TIN != nil || c.IsImported || c.ObjectID != nil {
				t.Errorf("fields without data = %+v, want 0, false or null", c.CustomerAccount)
			}
		})
	}
}
