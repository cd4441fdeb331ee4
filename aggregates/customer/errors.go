package customer

import (
	"errors"
	"fmt"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// ErrNotRegistered is returned by every command but Register on a customer that does not exist (an empty
// stream).
var ErrNotRegistered = errors.New("customer: not registered")

// ErrAlreadyRegistered is returned when registering a customer id whose stream already holds a customer.
var ErrAlreadyRegistered = errors.New("customer: already registered")

// ErrInvalid matches (errors.Is) every Problems value returned as an error.
var ErrInvalid = aggregates.ErrInvalidInput

// ErrWrongPassword is returned by a password update whose old password does not match (rule 9).
var ErrWrongPassword = errors.New("customer: old password does not match")

// ErrSamePassword is returned by a password update whose new password equals the current one (rule 9).
var ErrSamePassword = errors.New("customer: new password equals the current one")

// ErrThrottled is returned when a one-time token of a purpose is asked for a sixth time within an hour
// (rule 8, spec 1.9).
var ErrThrottled = errors.New("customer: too many one-time tokens requested")

// ThrottledError is the ErrThrottled of a token request, with how long until a token of that purpose may be
// asked for again (the HTTP answer's Retry-After). errors.Is(err, ErrThrottled) holds for it.
type ThrottledError struct {
	RetryAfter time.Duration
}

func (e *ThrottledError) Error() string {
	return fmt.Sprintf("%v: try again in %v", ErrThrottled, e.RetryAfter)
}

// Is makes errors.Is(err, ErrThrottled) true.
func (e *ThrottledError) Is(target error) bool { return target == ErrThrottled }

// ErrAlreadyVerified is returned when asking for an email verification link while the email is already
// confirmed (spec #16: 404).
var ErrAlreadyVerified = errors.New("customer: email already verified")

// ErrTokenInvalid is returned for a one-time token the customer was not sent, or that expired, was spent,
// was sent to another email than the current one or belongs to another purpose or site. One error for all
// cases, so a caller cannot tell a forged token from a stale one (rule 9).
var ErrTokenInvalid = errors.New("customer: one-time token invalid or expired")

// ErrUnknownPurpose is returned when issuing a one-time token of a purpose this package does not know: a
// programming error of the caller.
var ErrUnknownPurpose = errors.New("customer: unknown one-time token purpose")

// ErrAddressNotFound is returned when updating an address id the customer does not have.
var ErrAddressNotFound = errors.New("customer: address not found")

// ErrAddressIDTaken is returned when adding an address under an id the customer already has for another
// address: the id allocator handed out an id twice, a programming error.
var ErrAddressIDTaken = errors.New("customer: address id already used")

// ErrIdentityConflict is returned when linking an identity provider account while the customer is already
// linked to another account of the same provider.
var ErrIdentityConflict = errors.New("customer: another account of this identity provider is linked")

// Rule names a broken value rule of this aggregate (see aggregates.Rule).
type Rule = aggregates.Rule

// The value rules of spec 2.1, 2.2 and 2.8.
const (
	RuleRequired  Rule = "required"   // the field must be given and not blank
	RuleEmail     Rule = "email"      // the field must be a plain email address
	RuleMaxLength Rule = "max_length" // the field has more characters than Problem.Max
	RuleUsername  Rule = "username"   // only letters, digits, "-" and "_" (rule 4)
	RulePhone     Rule = "phone"      // a phone number must hold 5 to 20 digits
	RuleNumeric   Rule = "numeric"    // only digits
	RuleOneOf     Rule = "one_of"     // the value is not one the field accepts (address type)
	RuleCountry   Rule = "country"    // not an ISO 3166-1 alpha-2 country code
	RuleState     Rule = "state"      // not a state code of the address's country
	RuleInUse     Rule = "in_use"     // the address's country or state, while a subscription uses it (#47)
	// RuleMetadataSize: more than MaxMetadataKeys keys or MaxMetadataBytes of JSON.
	RuleMetadataSize Rule = "metadata_size"
	// RulePrintable: the text holds a control character or invalid UTF-8 (aggregates.TextFault).
	RulePrintable = aggregates.RulePrintable
)

// Problem is one broken rule on one input field (see aggregates.FieldProblem).
type Problem = aggregates.FieldProblem

// Problems are every broken rule of one input; as an error it matches ErrInvalid.
type Problems = aggregates.FieldProblems
