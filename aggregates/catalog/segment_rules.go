package catalog

import (
	"slices"
	"strings"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// SegmentRule is one condition on a customer. Exactly one of its kinds is given:
//
//   - EmailDomain: the domain of the customer's email is the pattern's ("example.com"), or a subdomain of
//     it at any depth for a wildcard ("*.example.com", which does not match the bare domain), compared
//     case-insensitively: the same patterns as a plan's domains (rule 13).
//   - Country: the country of the customer's default billing address (ISO 3166-1 alpha-2). The shipping
//     address does not count: a customer without a default billing address meets no country rule.
//   - MetadataKey with MetadataValue: the customer's metadata holds the key with that value, compared
//     exactly; a metadata value that is a number or a boolean compares as its JSON text ("3", "true").
//   - PlanID: the customer holds the plan, i.e. has an active subscription to it.
type SegmentRule struct {
	EmailDomain   string `json:"email_domain"`
	Country       string `json:"country"`
	MetadataKey   string `json:"metadata_key"`
	MetadataValue string `json:"metadata_value"`
	PlanID        int64  `json:"plan_id"`
}

// Problems lists the rule's broken value rules: exactly one kind, and a valid value for it.
func (r SegmentRule) Problems() Problems {
	var c checker
	kinds := 0
	if r.EmailDomain != "" {
		kinds++
		if msg := aggregates.DomainPatternProblem(r.EmailDomain); msg != "" {
			c.add("email_domain", "%s, got %q", msg, r.EmailDomain)
		}
	}
	if r.Country != "" {
		kinds++
		c.country("country", r.Country)
	}
	if r.MetadataKey != "" || r.MetadataValue != "" {
		kinds++
		c.required("metadata_key", r.MetadataKey)
		c.required("metadata_value", r.MetadataValue)
	}
	if r.PlanID != 0 {
		kinds++
		c.positiveID("plan_id", r.PlanID)
	}
	if kinds != 1 {
		c.add("", "must give exactly one of email_domain, country, metadata_key (with metadata_value) or plan_id")
	}
	return c.problems
}

// CustomerFacts is what segment rules look at of a customer, gathered by the caller from the read models.
type CustomerFacts struct {
	Email string
	// Country is the country of the default billing address; "" when there is none.
	Country string
	// Metadata holds the customer's metadata values that are texts, numbers or booleans, the latter two as
	// their JSON text; lists and objects meet no rule and are left out.
	Metadata map[string]string
	// HeldPlanIDs are the plans of the customer's active subscriptions.
	HeldPlanIDs []int64
}

// InSegment reports whether a customer with facts f belongs to a segment with rules: every rule must hold
// (a segment narrows down, and a publisher wanting "either" defines two segments and lists both). A
// segment without rules holds nobody; the catalog refuses one anyway.
func InSegment(rules []SegmentRule, f CustomerFacts) bool {
	if len(rules) == 0 {
		return false
	}
	for _, rule := range rules {
		if !rule.HoldsFor(f) {
			return false
		}
	}
	return true
}

// HoldsFor reports whether the customer with facts f meets the rule; a rule of no kind holds for nobody.
func (r SegmentRule) HoldsFor(f CustomerFacts) bool {
	switch {
	case r.EmailDomain != "":
		return emailDomainMatches(r.EmailDomain, f.Email)
	case r.Country != "":
		return f.Country != "" && strings.EqualFold(r.Country, f.Country)
	case r.MetadataKey != "":
		value, ok := f.Metadata[r.MetadataKey]
		return ok && value == r.MetadataValue
	case r.PlanID != 0:
		return slices.Contains(f.HeldPlanIDs, r.PlanID)
	}
	return false
}

// emailDomainMatches compares the domain of email (after its last @) with pattern, case-insensitively;
// "*.example.com" matches the subdomains of example.com at any depth, not example.com itself.
func emailDomainMatches(pattern, email string) bool {
	at := strings.LastIndexByte(email, '@')
	if at < 0 {
		return false
	}
	domain := strings.ToLower(email[at+1:])
	pattern = strings.ToLower(pattern)
	if base, wildcard := strings.CutPrefix(pattern, "*."); wildcard {
		return strings.HasSuffix(domain, "."+base) && len(domain) > len(base)+1
	}
	return domain == pattern
}
