package queries

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"
)

// PendingSeat is a seat waiting at an address, which the customer signing in with it claims.
type PendingSeat struct {
	SubscriptionID int64  `db:"subscription_id"`
	MemberID       int64  `db:"member_id"`
	Email          string `db:"email"`
}

// SeatClaim says which pending seats a customer's event may claim (docs/memberships.md, Claiming a seat).
type SeatClaim struct {
	CustomerID int64
	// SiteID is the site the customer registered or signed in on: only its seats are claimed, unless
	// EverySite (a verified address is the customer's on every site of their account).
	SiteID    int64
	EverySite bool
	// Email is the invited address looked for (normalised); "" means the customer's current address.
	Email string
	// EmailVerified says the event itself proves Email (customer.email_verified). Without it, a site that
	// verifies emails (email_verify_enabled) gives its seats only to the customer's current address once
	// confirmed; a site that does not, to the address as it is.
	EmailVerified bool
}

// ClaimableSeats returns the pending seats the claim may take, on the sites of the customer's account
// (customers are per account: one registered on another site of it signs in here as well). None for a
// customer the read model does not have (erased).
//
// Warning: the verification condition is what stops a customer from taking an invitee's seat by giving
// themselves the invited address (PUT /customer, or registering with it) without ever confirming it.
func ClaimableSeats(ctx context.Context, q sqlx.QueryerContext, c SeatClaim) ([]PendingSeat, error) {
	var seats []PendingSeat
	err := sqlx.SelectContext(ctx, q, &seats, `SELECT m.subscription_id, m.member_id, m.email
		FROM customers c
		JOIN catalog_sites s ON s.account_id = c.account_id AND ($2 OR s.id = $3)
		JOIN membership_seats m ON m.site_id = s.id
		WHERE c.id = $1 AND m.email = coalesce(NULLIF($4, ''), c.email) AND m.email <> ''
		AND m.status = 'pending' AND m.removed_at IS NULL
		AND (NOT s.email_verify_enabled OR $5 OR (c.email_confirm AND c.email = m.email))
		ORDER BY m.subscription_id, m.member_id`, c.CustomerID, c.EverySite, c.SiteID, c.Email,
		c.EmailVerified)
	if err != nil {
		return nil, fmt.Errorf("queries: pending seats of customer %d: %w", c.CustomerID, err)
	}
	return seats, nil
}
