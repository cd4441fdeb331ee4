package newsletter

import (
	"errors"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// ErrAlreadySubscribed is returned when subscribing an email the site's newsletter already has (rule 26:
// one entry per email per site).
var ErrAlreadySubscribed = errors.New("newsletter: email already subscribed")

// ErrNotSubscribed is returned when updating or deleting an email the site's newsletter does not have
// (rule 26).
var ErrNotSubscribed = errors.New("newsletter: email not subscribed")

// ErrInvalid matches (errors.Is) every Problems value returned as an error.
var ErrInvalid = aggregates.ErrInvalidInput

// Rule names a broken value rule of this aggregate (see aggregates.Rule).
type Rule = aggregates.Rule

// The value rules of spec 2.9.
const (
	RuleRequired  Rule = "required"               // the field must be given and not blank
	RuleEmail     Rule = "email"                  // the field must be an email address
	RuleMaxLength Rule = "max_length"             // the field has more characters than Problem.Max
	RulePrintable      = aggregates.RulePrintable // the text holds a control character or invalid UTF-8
)

// Problem is one broken rule on one input field (see aggregates.FieldProblem).
type Problem = aggregates.FieldProblem

// Problems are every broken rule of one input; as an error it matches ErrInvalid.
type Problems = aggregates.FieldProblems
