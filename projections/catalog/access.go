package catalog

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/lib/pq"
)

// freeAccessStatements rebuild the rows of the plans $1 (a bigint[]) in catalog_plan_domains and catalog_plan_ip_ranges
// from its catalog_plans row. Rules 13 and 14 grant free access through active plans of amount 0 only,
// whatever their expires_at, so other plans get no rows.
//
// Domains are compared case-insensitively, so they are stored lower-case; "*.example.edu" becomes domain
// "example.edu" with wildcard true. IP entries are single addresses or masked CIDR ranges (the catalog's
// rules check this), stored as cidr so `ip_range >>= address` matches IPv4 and IPv6 alike; a single
// address becomes a /32 or /128.
var freeAccessStatements = []string{
	`DELETE FROM catalog_plan_domains WHERE plan_id = ANY($1)`,
	`DELETE FROM catalog_plan_ip_ranges WHERE plan_id = ANY($1)`,
	`INSERT INTO catalog_plan_domains (plan_id, site_id, domain, wildcard)
		SELECT p.id, p.site_id, lower(regexp_replace(pattern, '^\*\.', '')), pattern LIKE '*.%'
		FROM catalog_plans p, unnest(p.domains) AS pattern
		WHERE p.id = ANY($1) AND p.active AND p.amount = 0
		ON CONFLICT DO NOTHING`,
	`INSERT INTO catalog_plan_ip_ranges (plan_id, site_id, ip_range)
		SELECT p.id, p.site_id, entry::cidr
		FROM catalog_plans p, unnest(p.ip_addresses) AS entry
		WHERE p.id = ANY($1) AND p.active AND p.amount = 0
		ON CONFLICT DO NOTHING`,
}

// refreshFreeAccess runs freeAccessStatements for the plans: a few statements whatever their number, so a
// batch of plan events refreshes every plan it touched at once.
func refreshFreeAccess(ctx context.Context, tx *sqlx.Tx, planIDs []int64) error {
	for _, statement := range freeAccessStatements {
		if _, err := tx.ExecContext(ctx, statement, pq.Int64Array(planIDs)); err != nil {
			return fmt.Errorf("refresh free access of %d plans from %d: %w", len(planIDs), planIDs[0], err)
		}
	}
	return nil
}
