package queries

import (
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/pgtest"
)

// TestCustomerPlanFindsSeatsByMember guards the plan `pelcro serve` keeps for the Customer read: the
// statement is prepared once per connection, usually while the read models are still empty, and PostgreSQL
// then caches a generic plan for the connection's life. A member's seats must be found through an index on
// the member, not by reading every subscription of the account and probing its seats (what the plan did
// while the only index on members was partial: a read then cost more with every subscription sold).
func TestCustomerPlanFindsSeatsByMember(t *testing.T) {
	t.Parallel()
	// given freshly migrated, empty read models (never analyzed, as a new server prepares on them)
	db := pgtest.MigratedDatabase(t)
	conn, err := db.Connx(t.Context())
	if err != nil {
		t.Fatalf("connection: %v", err)
	}
	defer conn.Close()
	for _, statement := range []string{
		`SET plan_cache_mode = force_generic_plan`,
		`PREPARE customer_read(bigint) AS ` + selectCustomer,
	} {
		if _, err := conn.ExecContext(t.Context(), statement); err != nil {
			t.Fatalf("%.40s: %v", statement, err)
		}
	}

	// when the generic plan of the Customer read is explained
	var lines []string
	if err := conn.SelectContext(t.Context(), &lines, `EXPLAIN EXECUTE customer_read(1)`); err != nil {
		t.Fatalf("explain: %v", err)
	}

	// then the seats are looked up by member
	plan := strings.Join(lines, "\n")
	if !strings.Contains(plan, "Index Cond: (member_customer_id = c.id)") {
		t.Fatalf("the Customer read does not look seats up by member:\n%s", plan)
	}
}
