package subscription

import (
	"maps"
	"slices"
	"time"
	"unicode/utf8"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/emails"
)

// Limits of a subscription's input.
const (
	MaxQuantity          = 10_000
	MaxPhases            = 10 // rule 20
	MaxCancelReason      = 255
	MaxMetadataKeys      = 50
	MaxMetadataText      = 500
	MaxGiftMessage       = 1000
	MaxNameLength        = 191
	MaxMembershipEntries = 100
)

// New is a subscription to create (#27), once the caller checked the plan, coupon, address, payment and
// segments against the catalog and the customer, and billed the first period: InvoiceID (0 when nothing was
// billed) for PeriodAmount, Paid when that invoice is settled (false: it waits for 3-D Secure).
type New struct {
	SubscriptionID int64
	CustomerID     int64
	AccountID      int64
	SiteID         int64
	Terms          Terms
	Quantity       int64
	Coupon         *Coupon
	AddressID      int64
	Billing        Billing
	Payment        Payment
	InvoiceID      int64
	PeriodAmount   int64
	Paid           bool
	CampaignKey    string            `json:"campaign_key"`
	Metadata       map[string]string `json:"metadata" text:"multiline"`
	Domains        []string          `json:"domains"`
	IPAddresses    []string          `json:"ip_addresses"`
	// A gift (Gift.RecipientEmail given) makes the customer its donor; GiftCode is the code the caller
	// drew, GiftStart the day the recipient is told (zero: the day of creation).
	Gift      Gift `json:"gift"`
	GiftStart time.Time
	GiftCode  string
	// GiftOf is the donor subscription of a redeemed gift: the new subscription is the recipient's.
	GiftOf int64
	// DaysUntilDue is, for Billing send_invoice, how many days each invoice gives the customer to pay (0: the
	// default), and InvoiceDueAt when the first invoice InvoiceID is due.
	DaysUntilDue int
	InvoiceDueAt time.Time
}

// Type is what the subscription will be.
func (c New) Type() Type {
	switch {
	case c.Gift.RecipientEmail != "":
		return TypeGiftDonor
	case c.GiftOf != 0:
		return TypeGiftRecipient
	case c.Terms.Membership:
		return TypeMembership
	}
	return TypeRegular
}

// Problems are the broken value rules of the input, all at once: InputProblems and the rules of the plan
// (domains and ip_addresses only on a membership, each reported under its own field). Callers check them
// before charging anything, so invalid input never costs the customer money.
func (c New) Problems() Problems {
	p := c.InputProblems()
	if !c.Terms.Membership && len(c.Domains) > 0 {
		p = append(p, Problem{Field: "domains", Rule: RuleMembership})
	}
	if !c.Terms.Membership && len(c.IPAddresses) > 0 {
		p = append(p, Problem{Field: "ip_addresses", Rule: RuleMembership})
	}
	return p
}

// InputProblems are the broken rules of the values the customer gave that hold whatever the plan: callers
// check them before looking anything up, so a malformed request is refused as such (400) before any
// business rule can refuse it.
func (c New) InputProblems() Problems {
	p := aggregates.TextProblems(c)
	if c.Quantity < 1 || c.Quantity > MaxQuantity {
		p = append(p, Problem{Field: "quantity", Rule: RuleQuantity, Max: MaxQuantity})
	}
	p = append(p, aggregates.CampaignKeyProblems("campaign_key", c.CampaignKey)...)
	p = append(p, metadataProblems(c.Metadata)...)
	if len(c.Domains) > MaxMembershipEntries {
		p = append(p, Problem{Field: "domains", Rule: RuleMaxItems, Max: MaxMembershipEntries})
	}
	if len(c.IPAddresses) > MaxMembershipEntries {
		p = append(p, Problem{Field: "ip_addresses", Rule: RuleMaxItems, Max: MaxMembershipEntries})
	}
	p = append(p, ipRangeProblems(c.IPAddresses)...)
	if c.Gift != (Gift{}) {
		p = append(p, giftProblems(c.Gift)...)
	}
	return p
}

// Create starts the subscription for its first period, from now. A retried creation is the pipeline's
// business (deduplicated by command id); any other creation on an existing subscription is refused.
func Create(s State, c New, now time.Time) ([]Event, error) {
	if s.Exists() {
		return nil, ErrAlreadyExists
	}
	if err := c.Problems().Err(); err != nil {
		return nil, err
	}
	status := StatusActive
	if !c.Paid {
		status = StatusIncomplete
	}
	billing := c.Billing
	if billing == "" {
		billing = BillingChargeAutomatically
	}
	created := Created{SubscriptionID: c.SubscriptionID, CustomerID: c.CustomerID, AccountID: c.AccountID,
		SiteID: c.SiteID, Type: c.Type(), Status: status, Terms: c.Terms, Quantity: c.Quantity, Coupon: c.Coupon,
		AddressID: c.AddressID, Billing: billing, Payment: c.Payment, PeriodStart: now,
		PeriodEnd: c.Terms.PeriodEnd(now), InvoiceID: c.InvoiceID, PeriodAmount: c.PeriodAmount,
		CampaignKey: c.CampaignKey, Metadata: maps.Clone(c.Metadata), Domains: slices.Clone(c.Domains),
		IPAddresses: slices.Clone(c.IPAddresses), GiftOf: c.GiftOf, CreatedAt: now}
	if billing == BillingSendInvoice {
		created.DaysUntilDue = DaysToPay(c.DaysUntilDue)
		if c.InvoiceID != 0 && !c.Paid {
			created.InvoiceDueAt = firstDueAt(c.InvoiceDueAt, created.DaysUntilDue, now)
		}
	}
	if created.Type == TypeGiftDonor {
		created.GiftCode, created.Gift, created.GiftStart = c.GiftCode, c.Gift, c.GiftStart.UTC()
		if created.GiftStart.IsZero() {
			created.GiftStart = now.UTC().Truncate(24 * time.Hour) // no start day given: told today
		}
	}
	events := []Event{created}
	if created.Type == TypeGiftRecipient {
		// A gift runs for the period it paid for, then ends (rule 17: "set to cancel at period end").
		events = append(events, CancellationScheduled{SubscriptionID: c.SubscriptionID, Mode: CancelAtPeriodEnd,
			CancelAt: created.PeriodEnd, ScheduledAt: now})
	}
	return events, nil
}

func metadataProblems(m map[string]string) Problems {
	if len(m) > MaxMetadataKeys {
		return Problems{{Field: "metadata", Rule: RuleMaxItems, Max: MaxMetadataKeys}}
	}
	for k, v := range m {
		if k == "" || utf8.RuneCountInString(k) > MaxNameLength || utf8.RuneCountInString(v) > MaxMetadataText {
			return Problems{{Field: "metadata", Rule: RuleMaxLength, Max: MaxMetadataText}}
		}
	}
	return nil
}

func giftProblems(g Gift) Problems {
	var p Problems
	for _, problem := range emails.Problems(emails.Normalise(g.RecipientEmail)) {
		problem.Field = "gift_recipient_email"
		p = append(p, problem)
	}
	if utf8.RuneCountInString(g.RecipientFirstName) > MaxNameLength {
		p = append(p, Problem{Field: "gift_recipient_first_name", Rule: RuleMaxLength, Max: MaxNameLength})
	}
	if utf8.RuneCountInString(g.RecipientLastName) > MaxNameLength {
		p = append(p, Problem{Field: "gift_recipient_last_name", Rule: RuleMaxLength, Max: MaxNameLength})
	}
	if utf8.RuneCountInString(g.Message) > MaxGiftMessage {
		p = append(p, Problem{Field: "gift_message", Rule: RuleMaxLength, Max: MaxGiftMessage})
	}
	return p
}
