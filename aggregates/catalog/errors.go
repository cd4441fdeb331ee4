package catalog

import (
	"errors"
	"strings"
)

// ErrAlreadyDefined is returned by a Define decision for an entity whose stream already exists: the caller
// meant Change.
var ErrAlreadyDefined = errors.New("catalog: entity already defined")

// ErrNotDefined is returned by a Change decision for an entity that was never defined: the caller meant
// Define.
var ErrNotDefined = errors.New("catalog: entity not defined")

// ErrOwnerChanged is returned when a desired state moves an entity to another owner (a site to another
// account, a product, coupon or tax rate to another site). Ownership decides which tenant sees an entity;
// moving it silently would leak it between sites, so it is refused rather than modelled.
var ErrOwnerChanged = errors.New("catalog: an entity cannot move to another account or site")

// ErrInvalid matches (errors.Is) every Problems value returned as an error.
var ErrInvalid = errors.New("catalog: invalid entity")

// Problem is one broken value rule. Field is the path of the offending value relative to what was checked,
// in the file's own spelling ("plans[1].domains[0]", "currency"); empty means the entity as a whole.
type Problem struct {
	Field   string
	Message string
}

// Problems lists every broken rule of an entity or a catalog, so a file reports all its mistakes at once.
type Problems []Problem

// Error joins the problems, one per line.
func (p Problems) Error() string {
	lines := make([]string, len(p))
	for i, problem := range p {
		lines[i] = problem.Field + ": " + problem.Message
		if problem.Field == "" {
			lines[i] = problem.Message
		}
	}
	return strings.Join(lines, "\n")
}

// Is makes errors.Is(problems, ErrInvalid) true.
func (p Problems) Is(target error) bool { return target == ErrInvalid }

// err returns the problems as an error, or a true nil when there are none (never a typed nil).
func (p Problems) err() error {
	if len(p) == 0 {
		return nil
	}
	return p
}

// within returns the problems with prefix (e.g. "plans[2]") prepended to their fields.
func (p Problems) within(prefix string) Problems {
	out := make(Problems, len(p))
	for i, problem := range p {
		out[i] = Problem{Field: joinField(prefix, problem.Field), Message: problem.Message}
	}
	return out
}

func joinField(prefix, field string) string {
	switch {
	case prefix == "":
		return field
	case field == "":
		return prefix
	}
	return prefix + "." + field
}
