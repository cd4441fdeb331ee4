package queries

import (
	"context"
	"fmt"
	"strconv"
	"strings"
)

// CustomerMatch is one customer found by SearchCustomers: enough to pick the right one.
type CustomerMatch struct {
	ID        int64  `db:"id" json:"id"`
	SiteID    int64  `db:"site_id" json:"site_id"`
	Email     string `db:"email" json:"email"`
	FirstName string `db:"first_name" json:"first_name"`
	LastName  string `db:"last_name" json:"last_name"`
	CreatedAt int64  `db:"created_at" json:"created_at"`
}

// SearchCustomers finds an account's customers for operators: the one whose id is query, and those whose
// email starts with query (case-insensitively), at most limit, by email (byte order, the same on every server). Only accountID's customers are ever
// read: the admin API's isolation between accounts rests on this WHERE clause.
func (c Customers) SearchCustomers(ctx context.Context, accountID int64, query string, limit int) ([]CustomerMatch, error) {
	query = strings.TrimSpace(query)
	matches := []CustomerMatch{}
	if query == "" || !Storable(query) {
		return matches, nil
	}
	id, err := strconv.ParseInt(query, 10, 64)
	if err != nil {
		id = 0 // no customer has id 0
	}
	err = c.DB.SelectContext(ctx, &matches, `
		SELECT id, site_id, email, first_name, last_name, `+unixSeconds("created_at")+` AS created_at
		FROM customers
		WHERE account_id = $1 AND (id = $2 OR lower(email) LIKE $3 ESCAPE '\')
		ORDER BY lower(email) COLLATE "C", id LIMIT $4`, accountID, id, likePrefix(strings.ToLower(query)), limit)
	if err != nil {
		return nil, fmt.Errorf("queries: search customers of account %d: %w", accountID, err)
	}
	return matches, nil
}

// likePrefix is a LIKE pattern matching the strings that start with s, whose own % and _ match themselves.
func likePrefix(s string) string {
	return strings.NewReplacer(`\`, `\\`, `%`, `\%`, `_`, `\_`).Replace(s) + "%"
}
