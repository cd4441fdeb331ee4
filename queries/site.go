package queries

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

// Site is the Site resource (spec 3.2) as far as the catalog defines it, with its account and the language
// of its default locale (the fallback language of requests for the site).
type Site struct {
	ID                                int64   `db:"id" json:"id"`
	AccountID                         int64   `db:"account_id" json:"account_id"`
	Name                              string  `db:"name" json:"name"`
	Slug                              string  `db:"slug" json:"slug"`
	Link                              string  `db:"link" json:"link"`
	DefaultCurrency                   string  `db:"default_currency" json:"default_currency"`
	DefaultLocale                     string  `db:"default_locale" json:"default_locale"`
	DefaultLanguage                   string  `db:"default_language" json:"-"`        // not a resource field
	SecurityKey                       *string `db:"security_key" json:"security_key"` // nil when Risk Assessment is off
	PasswordlessEnabled               bool    `db:"passwordless_enabled" json:"passwordless_enabled"`
	PasswordlessTokenDuration         int64   `db:"passwordless_token_duration" json:"passwordless_token_duration"`
	EmailVerifyEnabled                bool    `db:"email_verify_enabled" json:"email_verify_enabled"`
	EcommerceEnabled                  bool    `db:"ecommerce_enabled" json:"ecommerce_enabled"`
	TaxesEnabled                      bool    `db:"taxes_enabled" json:"taxes_enabled"`
	TaxInclusive                      bool    `db:"tax_inclusive" json:"tax_inclusive"`
	AuthTokenTTLDays                  int64   `db:"auth_token_ttl_days" json:"auth_token_ttl_days"`
	StrongPasswordEnforcement         bool    `db:"strong_password_enforcement" json:"strong_password_enforcement"`
	RestrictivePaywallMetatagsEnabled bool    `db:"restrictive_paywall_metatags_enabled" json:"restrictive_paywall_metatags_enabled"`
}

const selectSite = `SELECT id, account_id, name, slug, link, default_currency, default_locale, default_language,
	NULLIF(security_key, '') AS security_key, passwordless_enabled, passwordless_token_duration,
	email_verify_enabled, ecommerce_enabled, taxes_enabled, tax_inclusive, auth_token_ttl_days,
	strong_password_enforcement, restrictive_paywall_metatags_enabled
	FROM catalog_sites WHERE id = $1`

// Site returns the site with the id, or ErrNotFound.
func (c *Catalog) Site(ctx context.Context, id int64) (Site, error) {
	var site Site
	err := c.db.GetContext(ctx, &site, selectSite, id)
	if errors.Is(err, sql.ErrNoRows) {
		return Site{}, ErrNotFound
	}
	if err != nil {
		return Site{}, fmt.Errorf("queries: site %d: %w", id, err)
	}
	return site, nil
}
