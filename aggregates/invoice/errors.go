package invoice

import (
	"errors"
	"strconv"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// ErrNotFound is returned for an invoice that does not exist, or is not the caller's, or is a draft the
// customer cannot see (rule 24: unknown invoice → 404).
var ErrNotFound = errors.New("invoice: not found")

// ErrAlreadyExists is returned when creating an invoice with an id already used.
var ErrAlreadyExists = errors.New("invoice: already exists")

// ErrAlreadyPaid, ErrVoid and ErrUncollectible refuse to pay (or change) an invoice that is no longer open
// (rule 24).
var (
	ErrAlreadyPaid   = errors.New("invoice: already paid")
	ErrVoid          = errors.New("invoice: void")
	ErrUncollectible = errors.New("invoice: uncollectible")
)

// ErrPaymentPending refuses to void or give up on an invoice while a payment attempt has no outcome yet.
var ErrPaymentPending = errors.New("invoice: a payment attempt is pending")

// ErrNotDraft is returned when finalizing an invoice that is not a draft.
var ErrNotDraft = errors.New("invoice: not a draft")

// ErrInvalid matches (errors.Is) every Problems value returned as an error.
var ErrInvalid = aggregates.ErrInvalidInput

// Rule names a broken value rule of this aggregate (see aggregates.Rule).
type Rule = aggregates.Rule

// The value rules of an invoice.
const (
	RuleRequired      Rule = "required"       // the field must be given
	RuleCurrency      Rule = "currency"       // not a lowercase three-letter ISO 4217 code
	RuleAmount        Rule = "amount"         // negative, or above MaxAmount
	RuleQuantity      Rule = "quantity"       // below 1 or above MaxQuantity
	RuleMaxLength     Rule = "max_length"     // more characters than Problem.Max
	RuleMaxItems      Rule = "max_items"      // more lines than MaxLines
	RuleBillingReason Rule = "billing_reason" // not one of the documented reasons
	RulePeriod        Rule = "period"         // an end before its start, or only one of them
	RuleDiscount      Rule = "discount"       // more than subtotal plus tax
	RulePrintable          = aggregates.RulePrintable
)

// Problem is one broken rule on one input field (see aggregates.FieldProblem).
type Problem = aggregates.FieldProblem

// Problems are every broken rule of one input; as an error it matches ErrInvalid.
type Problems = aggregates.FieldProblems

// itoa formats an id.
func itoa(n int64) string { return strconv.FormatInt(n, 10) }
