package queries

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/lib/pq"
)

// The reads a sale makes of the catalog (plans and coupons in their own files): coupons by code, tax rates
// and account policies. cmd/pelcro maps them onto the commands' CommerceCatalog port.

// CouponByCode returns the site's coupon of that code (codes are case-sensitive), or ErrNotFound. Codes are
// unique within a catalog file; should two imports have left two coupons of one site with the same code,
// the oldest (lowest id) wins, so the answer never depends on row order.
func (c *Catalog) CouponByCode(ctx context.Context, siteID int64, code string) (Coupon, error) {
	if !Storable(code) {
		return Coupon{}, ErrNotFound
	}
	var coupon Coupon
	err := c.db.GetContext(ctx, &coupon, selectCoupons+`k.code = $2 ORDER BY k.id LIMIT 1`, siteID, code)
	if errors.Is(err, sql.ErrNoRows) {
		return Coupon{}, ErrNotFound
	}
	if err != nil {
		return Coupon{}, fmt.Errorf("queries: coupon %q of site %d: %w", code, siteID, err)
	}
	coupon.Object = "coupon"
	return coupon, nil
}

// TaxRate is one jurisdiction's rate: a country's (State "") or a state's.
type TaxRate struct {
	Country    string  `db:"country"`
	State      string  `db:"state"`
	Name       string  `db:"name"`
	Percentage float64 `db:"percentage"`
	Inclusive  bool    `db:"inclusive"`
}

// TaxSettings are a site's tax settings and the rates that apply to one address.
type TaxSettings struct {
	Enabled bool
	// Inclusive is the site's tax_inclusive: its prices hold every rate's tax.
	Inclusive bool
	// Rates are the country-wide rate first, then the state's, when they exist.
	Rates []TaxRate
}

// TaxRates returns the site's tax settings (disabled for a site the catalog does not define) and, when
// country is not "", the rates of an address in country and state: the country-wide rate and the state's.
func (c *Catalog) TaxRates(ctx context.Context, siteID int64, country, state string) (TaxSettings, error) {
	var settings TaxSettings
	err := c.db.QueryRowxContext(ctx, `SELECT taxes_enabled, tax_inclusive FROM catalog_sites WHERE id = $1`,
		siteID).Scan(&settings.Enabled, &settings.Inclusive)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return TaxSettings{}, fmt.Errorf("queries: tax settings of site %d: %w", siteID, err)
	}
	if country == "" || !Storable(country, state) {
		return settings, nil
	}
	err = c.db.SelectContext(ctx, &settings.Rates, `SELECT country, state, name, percentage, inclusive
		FROM catalog_tax_rates WHERE site_id = $1 AND country = $2 AND state IN ('', $3) ORDER BY state`,
		siteID, country, state)
	if err != nil {
		return TaxSettings{}, fmt.Errorf("queries: tax rates of site %d in %s %s: %w", siteID, country, state, err)
	}
	return settings, nil
}

// AccountPolicy is an account's commerce settings. An empty DunningRetryDays or DunningFinalStatus means
// the default (aggregates/catalog.AccountAttributes).
type AccountPolicy struct {
	ImmediateCancellationEnabled bool          `db:"immediate_cancellation_enabled"`
	DunningRetryDays             pq.Int64Array `db:"dunning_retry_days"`
	DunningFinalStatus           string        `db:"dunning_final_status"`
	// DaysUntilDue is how many days an invoice sent to be paid gives the customer; 0 means the default.
	DaysUntilDue int64 `db:"days_until_due"`
}

// Account returns the account's policy, or ErrNotFound when the catalog does not define the account.
func (c *Catalog) Account(ctx context.Context, accountID int64) (AccountPolicy, error) {
	var policy AccountPolicy
	err := c.db.GetContext(ctx, &policy, `SELECT immediate_cancellation_enabled, dunning_retry_days,
		dunning_final_status, days_until_due FROM catalog_accounts WHERE id = $1`, accountID)
	if errors.Is(err, sql.ErrNoRows) {
		return AccountPolicy{}, ErrNotFound
	}
	if err != nil {
		return AccountPolicy{}, fmt.Errorf("queries: account %d: %w", accountID, err)
	}
	return policy, nil
}
