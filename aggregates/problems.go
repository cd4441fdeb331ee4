package aggregates

import (
	"errors"
	"fmt"
	"strings"
)

// ErrInvalidInput matches (errors.Is) every FieldProblems returned as an error: input a decision refused
// because values break rules, as opposed to a refusal of the state (already exists, not found…).
var ErrInvalidInput = errors.New("invalid input")

// Rule names a broken value rule, so callers can word it in their own language. Each aggregate declares the
// rules it checks; the values are the last part of the message ids the HTTP layer localises.
type Rule string

// FieldProblem is one broken rule on one input field, named as the API names it ("email", "line1").
type FieldProblem struct {
	Field string
	Rule  Rule
	// Max is the character limit a length rule refers to; zero for other rules.
	Max int
	// Detail says exactly what broke the rule where that helps an operator find it ("U+0000 at character
	// 4"); empty for most rules. It is for logs and the catalog import, never shown to API clients, whose
	// messages are worded from Field and Rule alone.
	Detail string
}

// FieldProblems are every broken rule of one input, reported all at once. As an error it matches
// ErrInvalidInput.
type FieldProblems []FieldProblem

func (p FieldProblems) Error() string {
	parts := make([]string, len(p))
	for i, problem := range p {
		parts[i] = problem.Field + ": " + string(problem.Rule)
		if problem.Max > 0 {
			parts[i] += fmt.Sprintf(" %d", problem.Max)
		}
		if problem.Detail != "" {
			parts[i] += " (" + problem.Detail + ")"
		}
	}
	return "invalid input: " + strings.Join(parts, ", ")
}

// Is makes errors.Is(problems, ErrInvalidInput) true.
func (p FieldProblems) Is(target error) bool { return target == ErrInvalidInput }

// Err returns p as an error, or nil when there is no problem (never a typed nil).
func (p FieldProblems) Err() error {
	if len(p) == 0 {
		return nil
	}
	return p
}
