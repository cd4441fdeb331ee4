package queries

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
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
	PasswordlessTokenDuration         int64   `db:"passwordless_token_duration" json:"passwordless_token_duration"` // days, effective
	EmailVerifyEnabled                bool    `db:"email_verify_enabled" json:"email_verify_enabled"`
	EcommerceEnabled                  bool    `db:"ecommerce_enabled" json:"ecommerce_enabled"`
	TaxesEnabled                      bool    `db:"taxes_enabled" json:"taxes_enabled"`
	TaxInclusive                      bool    `db:"tax_inclusive" json:"tax_inclusive"`
	AuthTokenTTLDays                  int64   `db:"auth_token_ttl_days" json:"auth_token_ttl_days"` // effective
	StrongPasswordEnforcement         bool    `db:"strong_password_enforcement" json:"strong_password_enforcement"`
	RestrictivePaywallMetatagsEnabled bool    `db:"restrictive_paywall_metatags_enabled" json:"restrictive_paywall_metatags_enabled"`
	// The identity providers customers may sign in with (POST /auth/idp/login); nil when unset. The Google
	// ids are the audiences a Google ID token may carry, FacebookAppID a Facebook Limited Login token's,
	// Auth0BaseURL (an https URL) the Auth0 tenant whose tokens carry audience Auth0ClientID.
	GoogleAppID        *string `db:"google_app_id" json:"google_app_id"`
	GoogleAppIDIOS     *string `db:"google_app_id_ios" json:"google_app_id_ios"`
	GoogleAppIDAndroid *string `db:"google_app_id_android" json:"google_app_id_android"`
	FacebookAppID      *string `db:"facebook_app_id" json:"facebook_app_id"`
	Auth0BaseURL       *string `db:"auth0_base_url" json:"auth0_base_url"`
	Auth0ClientID      *string `db:"auth0_client_id" json:"auth0_client_id"`
	// Integrations: ids and public keys (nil when unset), and each gateway's settings (null when unset).
	GoogleAnalyticsID          *string `db:"google_analytics_id" json:"google_analytics_id"`
	KlaviyoAPIKey              *string `db:"klaviyo_api_key" json:"klaviyo_api_key"`
	BraintreeTokenization      *string `db:"braintree_tokenization" json:"braintree_tokenization"`
	BraintreeCurrency          *string `db:"braintree_currency" json:"braintree_currency"`
	BraintreeGatewaySettings   JSON    `db:"braintree_gateway_settings" json:"braintree_gateway_settings"`
	VantivGatewaySettings      JSON    `db:"vantiv_gateway_settings" json:"vantiv_gateway_settings"`
	TapGatewaySettings         JSON    `db:"tap_gateway_settings" json:"tap_gateway_settings"`
	CybersourceGatewaySettings JSON    `db:"cybersource_gateway_settings" json:"cybersource_gateway_settings"`
	// Design, free-form as the catalog gives it (null when unset).
	Logo           JSON `db:"logo" json:"logo"`
	Paywalls       JSON `db:"paywalls" json:"paywalls"`
	Newsletters    JSON `db:"newsletters" json:"newsletters"`
	DesignSettings JSON `db:"design_settings" json:"design_settings"`
}

const selectSite = `SELECT id, account_id, name, slug, link, default_currency, default_locale, default_language,
	NULLIF(security_key, '') AS security_key, passwordless_enabled, passwordless_token_duration,
	email_verify_enabled, ecommerce_enabled, taxes_enabled, tax_inclusive, auth_token_ttl_days,
	strong_password_enforcement, restrictive_paywall_metatags_enabled,
	NULLIF(google_app_id, '') AS google_app_id, NULLIF(google_app_id_ios, '') AS google_app_id_ios,
	NULLIF(google_app_id_android, '') AS google_app_id_android, NULLIF(facebook_app_id, '') AS facebook_app_id,
	NULLIF(auth0_base_url, '') AS auth0_base_url, NULLIF(auth0_client_id, '') AS auth0_client_id,
	NULLIF(google_analytics_id, '') AS google_analytics_id, NULLIF(klaviyo_api_key, '') AS klaviyo_api_key,
	NULLIF(braintree_tokenization, '') AS braintree_tokenization, NULLIF(braintree_currency, '') AS braintree_currency,
	braintree_gateway_settings, vantiv_gateway_settings, tap_gateway_settings, cybersource_gateway_settings,
	logo, paywalls, newsletters, design_settings
	FROM catalog_sites WHERE id = $1`

// Site returns the site with the id, or ErrNotFound. The token lifetimes are the ones the server applies:
// a setting left unset shows its default.
func (c *Catalog) Site(ctx context.Context, id int64) (Site, error) {
	var site Site
	err := c.db.GetContext(ctx, &site, selectSite, id)
	if errors.Is(err, sql.ErrNoRows) {
		return Site{}, ErrNotFound
	}
	if err != nil {
		return Site{}, fmt.Errorf("queries: site %d: %w", id, err)
	}
	site.AuthTokenTTLDays = catalog.EffectiveAuthTokenTTLDays(site.AuthTokenTTLDays)
	site.PasswordlessTokenDuration = catalog.EffectivePasswordlessTokenDuration(site.PasswordlessTokenDuration)
	return site, nil
}
