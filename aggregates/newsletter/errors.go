package newsletter

import (
	"errors"
	"fmt"
	"strings"
)

// ErrAlreadySubscribed is returned when subscribing an email the site's newsletter already has (rule 26:
// one entry per email per site).
var ErrAlreadySubscribed = errors.New("newsletter: email already subscribed")

// ErrNotSubscribed is returned when updating or deleting an email the site's newsletter does not have
// (rule 26).
var ErrNotSubscribed = errors.New("newsletter: email not subscribed")

// ErrInvalid matches (errors.Is) every Problems value returned as an error.
var ErrInvalid = errors.New("newsletter: invalid input")

// Rule names a broken value rule, so callers can word it in their own language.
type Rule string

// The value rules of spec 2.9.
const (
	RuleRequired  Rule = "required"   // the field must be given and not blank
	RuleEmail     Rule = "email"      // the field must be an email address
	RuleMaxLength Rule = "max_length" // the field has more characters than Problem.Max
)

// Problem is one broken rule on one input field, named as the API names it ("email", "first_name").
type Problem struct {
	Field string
	Rule  Rule
	// Max is the character limit RuleMaxLength refers to; zero for other rules.
	Max int
}

// Problems are every broken rule of one input. As an error it matches ErrInvalid.
type Problems []Problem

func (p Problems) Error() string {
	parts := make([]string, len(p))
	for i, problem := range p {
		parts[i] = problem.Field + ": " + string(problem.Rule)
		if problem.Max > 0 {
			parts[i] += fmt.Sprintf(" %d", problem.Max)
		}
	}
	return "newsletter: invalid input: " + strings.Join(parts, ", ")
}

// Is makes errors.Is(problems, ErrInvalid) true.
func (p Problems) Is(target error) bool { return target == ErrInvalid }

// orNil returns p as an error, or nil when there is no problem (never a typed nil).
func (p Problems) orNil() error {
	if len(p) == 0 {
		return nil
	}
	return p
}
