package queries

import (
	"context"
	"errors"
	"net/mail"
	"net/netip"
	"strings"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// ErrInvalidEmail is returned by PlansByEmailDomain for an email that is not a plain address with a
// domain name (endpoint 23: 400).
var ErrInvalidEmail = errors.New("queries: invalid email")

// ErrInvalidIP is returned by PlansByIP for the zero netip.Addr.
var ErrInvalidIP = errors.New("queries: invalid IP address")

// PlansByEmailDomain returns the site's plans that grant free access to email's domain (rule 13): active
// plans of amount 0 (expires_at is ignored) listing the domain itself, or a wildcard "*.d" where the domain
// is a subdomain of d, at any depth. The spec does not make "*.d" cover d itself, so it does not: a plan
// lists both "d" and "*.d" for both (examples/catalog.yaml does). Domains compare case-insensitively. No
// plan is an empty list (endpoint 23: 404); an invalid email is ErrInvalidEmail.
func (c *Catalog) PlansByEmailDomain(ctx context.Context, siteID int64, email string) ([]Plan, error) {
	domain, err := emailDomain(email)
	if err != nil {
		return nil, err
	}
	return c.plans(ctx, `p.id IN (SELECT d.plan_id FROM catalog_plan_domains d WHERE d.site_id = $1
		AND ((NOT d.wildcard AND d.domain = $2) OR (d.wildcard AND right($2, length(d.domain) + 1) = '.' || d.domain)))`,
		siteID, domain)
}

// PlansByIP returns the site's plans that grant free access to ip (rule 14): active plans of amount 0
// (expires_at is ignored) whose ip_addresses hold the address or a CIDR range containing it, IPv4 or IPv6.
// An IPv4 address seen as IPv4-mapped IPv6 (::ffff:a.b.c.d, as dual-stack listeners report it) matches
// as IPv4. No plan is an empty list (endpoint 22: 404).
func (c *Catalog) PlansByIP(ctx context.Context, siteID int64, ip netip.Addr) ([]Plan, error) {
	if !ip.IsValid() {
		return nil, ErrInvalidIP
	}
	return c.plans(ctx, `p.id IN (SELECT r.plan_id FROM catalog_plan_ip_ranges r WHERE r.site_id = $1
		AND r.ip_range >>= $2::inet)`, siteID, ip.Unmap().WithZone("").String())
}

// emailDomain returns the lower-cased domain of a plain address ("ada@Example.edu" → "example.edu"), or
// ErrInvalidEmail for anything else: display names, domain literals, single-label or malformed domains.
func emailDomain(email string) (string, error) {
	parsed, err := mail.ParseAddress(email)
	if err != nil || parsed.Name != "" || parsed.Address != email {
		return "", ErrInvalidEmail
	}
	domain := strings.ToLower(email[strings.LastIndex(email, "@")+1:])
	labels := strings.Split(domain, ".")
	if len(labels) < 2 || len(domain) > 253 {
		return "", ErrInvalidEmail
	}
	for _, label := range labels {
		if !aggregates.IsHostLabel(label) {
			return "", ErrInvalidEmail
		}
	}
	return domain, nil
}
