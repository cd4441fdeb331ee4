package catalog

import "time"

// SiteAttributes are a site's editable fields (spec 3.2, the configuration GET /site returns).
type SiteAttributes struct {
	Name                              string `json:"name"`
	Slug                              string `json:"slug"`
	Link                              string `json:"link"`
	DefaultCurrency                   string `json:"default_currency"`
	DefaultLocale                     string `json:"default_locale"`
	SecurityKey                       string `json:"security_key"`
	PasswordlessEnabled               bool   `json:"passwordless_enabled"`
	PasswordlessTokenDuration         int64  `json:"passwordless_token_duration"`
	EmailVerifyEnabled                bool   `json:"email_verify_enabled"`
	EcommerceEnabled                  bool   `json:"ecommerce_enabled"`
	TaxesEnabled                      bool   `json:"taxes_enabled"`
	TaxInclusive                      bool   `json:"tax_inclusive"`
	AuthTokenTTLDays                  int64  `json:"auth_token_ttl_days"`
	StrongPasswordEnforcement         bool   `json:"strong_password_enforcement"`
	RestrictivePaywallMetatagsEnabled bool   `json:"restrictive_paywall_metatags_enabled"`
	// The identity providers customers may sign in with (POST /auth/idp/login), each "" when unset (GET
	// /site shows null). The Google client ids are the audiences a Google ID token may carry (web, iOS,
	// Android apps), FacebookAppID the audience of a Facebook Limited Login token, and Auth0BaseURL
	// (https://tenant.auth0.com) with Auth0ClientID the issuer and audience of an Auth0 token. Events
	// written before these fields existed decode with them unset.
	GoogleAppID        string `json:"google_app_id"`
	GoogleAppIDIOS     string `json:"google_app_id_ios"`
	GoogleAppIDAndroid string `json:"google_app_id_android"`
	FacebookAppID      string `json:"facebook_app_id"`
	Auth0BaseURL       string `json:"auth0_base_url"`
	Auth0ClientID      string `json:"auth0_client_id"`
	// Integrations (spec 3.2): the ids and public keys front ends load third-party scripts with, each ""
	// when unset (GET /site shows null), and each payment gateway's settings as the merchant gives them.
	GoogleAnalyticsID          string   `json:"google_analytics_id"`
	KlaviyoAPIKey              string   `json:"klaviyo_api_key"`
	BraintreeTokenization      string   `json:"braintree_tokenization"`
	BraintreeCurrency          string   `json:"braintree_currency"`
	BraintreeGatewaySettings   Document `json:"braintree_gateway_settings"`
	VantivGatewaySettings      Document `json:"vantiv_gateway_settings"`
	TapGatewaySettings         Document `json:"tap_gateway_settings"`
	CybersourceGatewaySettings Document `json:"cybersource_gateway_settings"`
	// Design (spec 3.2), free-form: what the front end's theme reads.
	Logo           Document `json:"logo"`
	Paywalls       Document `json:"paywalls"`
	Newsletters    Document `json:"newsletters"`
	DesignSettings Document `json:"design_settings"`
}

// The token lifetimes, in days, the server applies to a site whose settings leave them unset (0). One source:
// tokens, links and GET /site all read them through EffectiveAuthTokenTTLDays and
// EffectivePasswordlessTokenDuration.
const (
	DefaultAuthTokenTTLDays          = 60  // a customer's JWT (spec 1.3)
	MaxAuthTokenTTLDays              = 365 // a longer auth_token_ttl_days is cut to a year
	DefaultPasswordlessTokenDuration = 1   // a passwordless sign-in link (rule 8)
)

// EffectiveAuthTokenTTLDays is how many days a customer's JWT lasts on a site whose auth_token_ttl_days is
// days: the default when unset, at most MaxAuthTokenTTLDays.
func EffectiveAuthTokenTTLDays(days int64) int64 {
	if days <= 0 {
		return DefaultAuthTokenTTLDays
	}
	return min(days, MaxAuthTokenTTLDays)
}

// EffectivePasswordlessTokenDuration is how many days a passwordless link lasts on a site whose
// passwordless_token_duration is days: the default when unset.
func EffectivePasswordlessTokenDuration(days int64) int64 {
	if days <= 0 {
		return DefaultPasswordlessTokenDuration
	}
	return days
}

// SitePatch holds the changed site fields; nil means unchanged.
type SitePatch struct {
	Name                              *string   `json:"name,omitempty"`
	Slug                              *string   `json:"slug,omitempty"`
	Link                              *string   `json:"link,omitempty"`
	DefaultCurrency                   *string   `json:"default_currency,omitempty"`
	DefaultLocale                     *string   `json:"default_locale,omitempty"`
	SecurityKey                       *string   `json:"security_key,omitempty"`
	PasswordlessEnabled               *bool     `json:"passwordless_enabled,omitempty"`
	PasswordlessTokenDuration         *int64    `json:"passwordless_token_duration,omitempty"`
	EmailVerifyEnabled                *bool     `json:"email_verify_enabled,omitempty"`
	EcommerceEnabled                  *bool     `json:"ecommerce_enabled,omitempty"`
	TaxesEnabled                      *bool     `json:"taxes_enabled,omitempty"`
	TaxInclusive                      *bool     `json:"tax_inclusive,omitempty"`
	AuthTokenTTLDays                  *int64    `json:"auth_token_ttl_days,omitempty"`
	StrongPasswordEnforcement         *bool     `json:"strong_password_enforcement,omitempty"`
	RestrictivePaywallMetatagsEnabled *bool     `json:"restrictive_paywall_metatags_enabled,omitempty"`
	GoogleAppID                       *string   `json:"google_app_id,omitempty"`
	GoogleAppIDIOS                    *string   `json:"google_app_id_ios,omitempty"`
	GoogleAppIDAndroid                *string   `json:"google_app_id_android,omitempty"`
	FacebookAppID                     *string   `json:"facebook_app_id,omitempty"`
	Auth0BaseURL                      *string   `json:"auth0_base_url,omitempty"`
	Auth0ClientID                     *string   `json:"auth0_client_id,omitempty"`
	GoogleAnalyticsID                 *string   `json:"google_analytics_id,omitempty"`
	KlaviyoAPIKey                     *string   `json:"klaviyo_api_key,omitempty"`
	BraintreeTokenization             *string   `json:"braintree_tokenization,omitempty"`
	BraintreeCurrency                 *string   `json:"braintree_currency,omitempty"`
	BraintreeGatewaySettings          *Document `json:"braintree_gateway_settings,omitempty"`
	VantivGatewaySettings             *Document `json:"vantiv_gateway_settings,omitempty"`
	TapGatewaySettings                *Document `json:"tap_gateway_settings,omitempty"`
	CybersourceGatewaySettings        *Document `json:"cybersource_gateway_settings,omitempty"`
	Logo                              *Document `json:"logo,omitempty"`
	Paywalls                          *Document `json:"paywalls,omitempty"`
	Newsletters                       *Document `json:"newsletters,omitempty"`
	DesignSettings                    *Document `json:"design_settings,omitempty"`
}

// Site is the desired state of a site (a tenant: every API call names one). The payload of DefineSite and
// ChangeSite.
type Site struct {
	ID        int64 `json:"id"`
	AccountID int64 `json:"account_id"`
	SiteAttributes
}

// Problems lists the site's broken value rules.
func (s Site) Problems() Problems {
	c := textsChecked(s.SiteAttributes)
	c.positiveID("id", s.ID)
	c.positiveID("account_id", s.AccountID)
	c.required("name", s.Name)
	c.link("link", s.Link)
	c.currency("default_currency", s.DefaultCurrency)
	c.locale("default_locale", s.DefaultLocale)
	// Rule 8: passwordless tokens last 1, 30, 60 or 90 days; 0 leaves the default of 1 day.
	switch s.PasswordlessTokenDuration {
	case 0, 1, 30, 60, 90:
	default:
		c.add("passwordless_token_duration", "must be 1, 30, 60 or 90 (days), got %d", s.PasswordlessTokenDuration)
	}
	c.notNegative("auth_token_ttl_days", s.AuthTokenTTLDays)
	s.identityProviderProblems(&c)
	c.token("google_analytics_id", s.GoogleAnalyticsID)
	c.token("klaviyo_api_key", s.KlaviyoAPIKey)
	c.token("braintree_tokenization", s.BraintreeTokenization)
	c.token("braintree_currency", s.BraintreeCurrency)
	return c.problems
}

// identityProviderProblems checks the IdP settings: ids are single tokens, and Auth0 needs both its https
// base URL (the token issuer) and its client id (the token audience), or neither.
func (s Site) identityProviderProblems(c *checker) {
	c.token("google_app_id", s.GoogleAppID)
	c.token("google_app_id_ios", s.GoogleAppIDIOS)
	c.token("google_app_id_android", s.GoogleAppIDAndroid)
	c.token("facebook_app_id", s.FacebookAppID)
	c.token("auth0_client_id", s.Auth0ClientID)
	c.httpsBaseURL("auth0_base_url", s.Auth0BaseURL)
	switch {
	case s.Auth0BaseURL != "" && s.Auth0ClientID == "":
		c.add("auth0_client_id", "is required when auth0_base_url is set")
	case s.Auth0BaseURL == "" && s.Auth0ClientID != "":
		c.add("auth0_base_url", "is required when auth0_client_id is set")
	}
}

// SiteEvent is an event of a site stream.
type SiteEvent interface {
	Event
	isSiteEvent()
}

// SiteDefined records a new site of an account.
type SiteDefined struct {
	SiteID    int64 `json:"site_id"`
	AccountID int64 `json:"account_id"`
	SiteAttributes
	DefinedAt time.Time `json:"defined_at"`
}

// SiteChanged records the site fields that changed.
type SiteChanged struct {
	SiteID    int64     `json:"site_id"`
	Changes   SitePatch `json:"changes"`
	ChangedAt time.Time `json:"changed_at"`
}

func (SiteDefined) isSiteEvent() {}
func (SiteChanged) isSiteEvent() {}

// Subject tells importers which site was created.
func (e SiteDefined) Subject() Subject { return created(KindSite, e.SiteID) }

// Subject tells importers which site changed.
func (e SiteChanged) Subject() Subject { return changed(KindSite, e.SiteID) }

// SiteState is a site as its stream tells it; the zero value is a site never defined.
type SiteState struct {
	Defined bool
	Site    Site
}

// EvolveSite folds one event into the state.
func EvolveSite(s SiteState, e SiteEvent) SiteState {
	switch e := e.(type) {
	case SiteDefined:
		s = SiteState{Defined: true, Site: Site{ID: e.SiteID, AccountID: e.AccountID, SiteAttributes: e.SiteAttributes}}
	case SiteChanged:
		s.Site.SiteAttributes = applyPatch(s.Site.SiteAttributes, e.Changes)
	}
	return s
}

// DefineSite creates the site.
func DefineSite(s SiteState, c Site, now time.Time) ([]SiteEvent, error) {
	if err := guardDefine(s.Defined, c.Problems()); err != nil {
		return nil, err
	}
	return []SiteEvent{SiteDefined{SiteID: c.ID, AccountID: c.AccountID, SiteAttributes: c.SiteAttributes, DefinedAt: now}}, nil
}

// ChangeSite brings the site to c: one SiteChanged with the differing fields, or no event. A site never
// moves to another account (ErrOwnerChanged).
func ChangeSite(s SiteState, c Site, now time.Time) ([]SiteEvent, error) {
	if err := guardChange(s.Defined, c.AccountID == s.Site.AccountID, c.Problems()); err != nil {
		return nil, err
	}
	return changeEvents(s.Site.SiteAttributes, c.SiteAttributes, func(p SitePatch) SiteEvent {
		return SiteChanged{SiteID: c.ID, Changes: p, ChangedAt: now}
	}), nil
}
