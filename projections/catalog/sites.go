package catalog

import (
	"context"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// SitesName is the sites projection's name and checkpoint key. Warning: changing it replays the whole log
// into catalog_sites (see projections.Projection.Name).
const SitesName = "catalog_sites.v1"

// Sites keeps catalog_sites: one row per site with every field of the Site resource (spec 3.2) the catalog
// defines, its account and the language of its default locale. An unset identity-provider id is stored as
// ” (a change event can only set a column, never null it: see patchRow), or NULL in rows projected
// before migration 00004 added the columns; queries read both as unset.
func Sites() projections.Projection {
	return projections.Projection{
		Name:   SitesName,
		Tables: []string{"catalog_sites"},
		Handlers: []projections.Handler{
			projections.On(applySiteDefined),
			projections.On(applySiteChanged),
		},
	}
}

func applySiteDefined(ctx context.Context, tx *sqlx.Tx, e projections.Event[catalog.SiteDefined]) error {
	a := e.Data.SiteAttributes
	return upsertRow(ctx, tx, "catalog_sites", e.Data.SiteID, e.Revision, []column{
		{"account_id", e.Data.AccountID},
		{"name", a.Name},
		{"slug", a.Slug},
		{"link", a.Link},
		{"default_currency", a.DefaultCurrency},
		{"default_locale", a.DefaultLocale},
		{"default_language", languageOf(a.DefaultLocale)},
		{"security_key", a.SecurityKey},
		{"passwordless_enabled", a.PasswordlessEnabled},
		{"passwordless_token_duration", a.PasswordlessTokenDuration},
		{"email_verify_enabled", a.EmailVerifyEnabled},
		{"ecommerce_enabled", a.EcommerceEnabled},
		{"taxes_enabled", a.TaxesEnabled},
		{"tax_inclusive", a.TaxInclusive},
		{"auth_token_ttl_days", a.AuthTokenTTLDays},
		{"strong_password_enforcement", a.StrongPasswordEnforcement},
		{"restrictive_paywall_metatags_enabled", a.RestrictivePaywallMetatagsEnabled},
		{"google_app_id", a.GoogleAppID},
		{"google_app_id_ios", a.GoogleAppIDIOS},
		{"google_app_id_android", a.GoogleAppIDAndroid},
		{"facebook_app_id", a.FacebookAppID},
		{"auth0_base_url", a.Auth0BaseURL},
		{"auth0_client_id", a.Auth0ClientID},
		{"google_analytics_id", a.GoogleAnalyticsID},
		{"klaviyo_api_key", a.KlaviyoAPIKey},
		{"braintree_tokenization", a.BraintreeTokenization},
		{"braintree_currency", a.BraintreeCurrency},
		{"braintree_gateway_settings", document(a.BraintreeGatewaySettings)},
		{"vantiv_gateway_settings", document(a.VantivGatewaySettings)},
		{"tap_gateway_settings", document(a.TapGatewaySettings)},
		{"cybersource_gateway_settings", document(a.CybersourceGatewaySettings)},
		{"logo", document(a.Logo)},
		{"paywalls", document(a.Paywalls)},
		{"newsletters", document(a.Newsletters)},
		{"design_settings", document(a.DesignSettings)},
	})
}

func applySiteChanged(ctx context.Context, tx *sqlx.Tx, e projections.Event[catalog.SiteChanged]) error {
	p := e.Data.Changes
	var language *string
	if p.DefaultLocale != nil {
		l := languageOf(*p.DefaultLocale)
		language = &l
	}
	return patchRow(ctx, tx, "catalog_sites", e.Data.SiteID, e.Revision, []column{
		{"name", p.Name},
		{"slug", p.Slug},
		{"link", p.Link},
		{"default_currency", p.DefaultCurrency},
		{"default_locale", p.DefaultLocale},
		{"default_language", language},
		{"security_key", p.SecurityKey},
		{"passwordless_enabled", p.PasswordlessEnabled},
		{"passwordless_token_duration", p.PasswordlessTokenDuration},
		{"email_verify_enabled", p.EmailVerifyEnabled},
		{"ecommerce_enabled", p.EcommerceEnabled},
		{"taxes_enabled", p.TaxesEnabled},
		{"tax_inclusive", p.TaxInclusive},
		{"auth_token_ttl_days", p.AuthTokenTTLDays},
		{"strong_password_enforcement", p.StrongPasswordEnforcement},
		{"restrictive_paywall_metatags_enabled", p.RestrictivePaywallMetatagsEnabled},
		{"google_app_id", p.GoogleAppID},
		{"google_app_id_ios", p.GoogleAppIDIOS},
		{"google_app_id_android", p.GoogleAppIDAndroid},
		{"facebook_app_id", p.FacebookAppID},
		{"auth0_base_url", p.Auth0BaseURL},
		{"auth0_client_id", p.Auth0ClientID},
		{"google_analytics_id", p.GoogleAnalyticsID},
		{"klaviyo_api_key", p.KlaviyoAPIKey},
		{"braintree_tokenization", p.BraintreeTokenization},
		{"braintree_currency", p.BraintreeCurrency},
		{"braintree_gateway_settings", changedDocument(p.BraintreeGatewaySettings)},
		{"vantiv_gateway_settings", changedDocument(p.VantivGatewaySettings)},
		{"tap_gateway_settings", changedDocument(p.TapGatewaySettings)},
		{"cybersource_gateway_settings", changedDocument(p.CybersourceGatewaySettings)},
		{"logo", changedDocument(p.Logo)},
		{"paywalls", changedDocument(p.Paywalls)},
		{"newsletters", changedDocument(p.Newsletters)},
		{"design_settings", changedDocument(p.DesignSettings)},
	})
}

// languageOf is the ISO 639-1 part of a locale: "fr_CA" → "fr", "en" → "en".
func languageOf(locale string) string {
	language, _, _ := strings.Cut(locale, "_")
	return strings.ToLower(language)
}
