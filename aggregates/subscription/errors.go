package subscription

import (
	"errors"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// Refusals of the subscription's decisions. Transport words each one (docs/subscriptions.md).
var (
	// ErrNotFound: no subscription of that id, or not the caller's (another customer's reads as none).
	ErrNotFound      = errors.New("subscription: not found")
	ErrAlreadyExists = errors.New("subscription: already exists")
	// ErrEnded: the subscription is canceled, expired or unpaid.
	ErrEnded = errors.New("subscription: ended")
	// ErrPaymentPending: its first invoice waits for 3-D Secure, or a charge is under way.
	ErrPaymentPending = errors.New("subscription: a payment is pending")
	// ErrGiftRecipient: a gift received cannot be canceled, reactivated or changed (rule 17).
	ErrGiftRecipient = errors.New("subscription: a gift received cannot be changed")
	// ErrGiftDonor: a gift given cannot be renewed or changed as a subscription (rule 20), nor canceled
	// once redeemed or at a period's end (cancel.go).
	ErrGiftDonor = errors.New("subscription: a gift given is not a subscription of the donor")
	// ErrGiftRenewalUnpaid: a renewal of a gift received without paying for it now (phases.go).
	ErrGiftRenewalUnpaid = errors.New("subscription: a gift received is renewed only when paid for now")
	// ErrImmediateCancellationDisabled: mode now, and the account does not allow it (rule 18).
	ErrImmediateCancellationDisabled = errors.New("subscription: immediate cancellation is disabled")
	// ErrNotAutoRenew: reactivating a subscription whose plan does not renew (rule 19).
	ErrNotAutoRenew = errors.New("subscription: the plan does not renew automatically")
	// ErrNotCanceling: reactivating a subscription that is not set to cancel (rule 19).
	ErrNotCanceling = errors.New("subscription: not in its grace period")
	// ErrTooManyPhases: renewing past MaxPhases scheduled phases (rule 20).
	ErrTooManyPhases = errors.New("subscription: too many renewal phases")
	// ErrPhasesPaid: replacing the scheduled phases when one of them is paid for already (or a gift).
	ErrPhasesPaid = errors.New("subscription: scheduled phases already paid for")
	// ErrCurrencyMismatch: a plan in another currency than the subscription's (or the customer's).
	ErrCurrencyMismatch = errors.New("subscription: currency mismatch")
	// ErrSamePlan: changing to the plan and quantity the subscription already has.
	ErrSamePlan = errors.New("subscription: already on this plan")
	// ErrInGiftTerm: changing the plan while a term a gift paid for runs on the subscription (#31 during #34
	// or #33): the change would bill the recipient for a term the donor paid, so it waits for the term's end.
	ErrInGiftTerm = errors.New("subscription: a gift's term is running")
	// ErrNotGift: no gift of that code (or not a donor's subscription).
	ErrNotGift = errors.New("subscription: not a gift")
	// ErrGiftUnpaid: the gift's invoice is not paid yet (rule 17).
	ErrGiftUnpaid = errors.New("subscription: the gift is not paid")
	// ErrGiftRedeemed: the gift was redeemed already, by somebody else (rule 17).
	ErrGiftRedeemed = errors.New("subscription: the gift was already redeemed")
	// ErrInvoiceUnpaid: redeeming a gift onto a subscription with an unpaid invoice (gift.go, GiftTarget).
	ErrInvoiceUnpaid = errors.New("subscription: an invoice of the subscription is unpaid")
	// ErrGiftTermRefunded: giving a gift term whose payment was refunded to the donor already, as refused by
	// an earlier try whose refusal was not recorded (its settlement failed, or its answer was lost).
	ErrGiftTermRefunded = errors.New("subscription: the gift term's payment was refunded")
	// ErrOwnGift: the donor redeeming the gift they gave: a gift is for somebody else (rule 17).
	ErrOwnGift = errors.New("subscription: a gift cannot be redeemed by its donor")
	// ErrNotMembership: a seat command on a subscription that is not a membership (spec 2.5).
	ErrNotMembership = errors.New("subscription: not a membership")
	// ErrMemberNotFound: removing a seat the subscription does not have (or removed already).
	ErrMemberNotFound = errors.New("subscription: no such member")
	// ErrNotDue: the billing clock asked for work the subscription does not wait for (yet).
	ErrNotDue = errors.New("subscription: nothing of that kind is due")
)

// ErrInvalid matches (errors.Is) every Problems value returned as an error.
var ErrInvalid = aggregates.ErrInvalidInput

// Rule names a broken value rule of this aggregate (see aggregates.Rule).
type Rule = aggregates.Rule

// The value rules of a subscription's input.
const (
	RuleRequired     Rule = "required"      // the field must be given
	RuleQuantity     Rule = "quantity"      // quantity not between 1 and MaxQuantity
	RuleMaxLength    Rule = "max"           // longer than Max characters
	RulePrintable    Rule = "printable"     // holds a control, separator or invalid UTF-8
	RuleMaxItems     Rule = "max_items"     // more than Max entries
	RuleMembership   Rule = "membership"    // domains or ip_addresses on a plan that is not a membership
	RuleIPRange      Rule = "ip_range"      // an ip_addresses entry that is not an address or a masked CIDR range
	RuleIPPublic     Rule = "ip_public"     // an ip_addresses entry holding private or reserved addresses
	RuleIPWidth      Rule = "ip_width"      // an ip_addresses range wider than one institution holds (MinIPv4Bits, MinIPv6Bits)
	RuleDomain       Rule = "domain"        // a domains entry that is not a domain or a *.domain wildcard (aggregates.DomainPatternProblem)
	RuleEmail        Rule = "email"         // not an email address
	RuleDate         Rule = "date"          // not a YYYY-MM-DD day
	RuleCancelMode   Rule = "cancel_mode"   // not now, current_period_end or last_period_end
	RuleDistinct     Rule = "distinct"      // the same address twice in one invitation
	RuleInvited      Rule = "invited"       // the address has a pending seat already
	RuleActiveMember Rule = "active_member" // the address is an active member already
	RuleSeatCapacity Rule = "seat_capacity" // more seats than the plan's member_seat_capacity (Max)
	RuleOwner        Rule = "owner"         // the owner's own address: the owner takes no seat
)

// RuleCampaignKey: not 3–191 characters of letters, digits, - and _ (the rule orders share).
const RuleCampaignKey = aggregates.RuleCampaignKey

// Problem is one broken rule on one field; Problems are all of them.
type (
	Problem  = aggregates.FieldProblem
	Problems = aggregates.FieldProblems
)
