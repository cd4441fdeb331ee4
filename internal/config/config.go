// Package config reads the runtime configuration from the environment. The variable names and defaults are
// part of the runtime contract (docs/architecture.md): scripts and deployments rely on them, so renaming one is
// a breaking change.
package config

import (
	"fmt"
	"log/slog"
	"net/netip"
	"net/url"
	"os"
	"strings"
	"time"
)

// Environment variable names.
const (
	EnvDatabaseURL   = "PELCRO_DATABASE_URL"
	EnvEventStoreURL = "PELCRO_EVENTSTORE_URL"
	EnvHTTPAddr      = "PELCRO_HTTP_ADDR"
	EnvCORSOrigins   = "PELCRO_CORS_ORIGINS"
	EnvTrustedProxy  = "PELCRO_TRUSTED_PROXIES"
	EnvSMTPURL       = "PELCRO_SMTP_URL"
	EnvAuthSecret    = "PELCRO_AUTH_SECRET"
	EnvPublicURL     = "PELCRO_PUBLIC_URL"
	EnvDataDir       = "PELCRO_DATA_DIR"
	EnvMasterKey     = "PELCRO_MASTER_KEY"
	EnvMasterKeyPrev = "PELCRO_MASTER_KEY_PREVIOUS"
	EnvLogLevel      = "PELCRO_LOG_LEVEL"

	EnvStripeSecretKey     = "PELCRO_STRIPE_SECRET_KEY"
	EnvStripeAPIBase       = "PELCRO_STRIPE_API_BASE"
	EnvStripeWebhookSecret = "PELCRO_STRIPE_WEBHOOK_SECRET"
	EnvBillingInterval     = "PELCRO_BILLING_INTERVAL"
	EnvGeoIPDB             = "PELCRO_GEOIP_DB"
)

// Defaults that make `pelcro serve` work against a local PostgreSQL with no configuration.
const (
	DefaultDatabaseURL = "postgres://postgres@127.0.0.1:5432/pelcro?sslmode=disable"
	DefaultHTTPAddr    = ":8080"
	DefaultPublicURL   = "http://localhost:8080"
	DefaultDataDir     = "data"
	// DefaultBillingInterval is how often `pelcro serve` runs the billing clock.
	DefaultBillingInterval = time.Minute
)

// EventStoreKind names the backend an event store URL selects.
type EventStoreKind string

// The event store backends.
const (
	EventStorePostgres EventStoreKind = "postgres"
	EventStoreESDB     EventStoreKind = "esdb"
)

// Config is the process configuration.
type Config struct {
	DatabaseURL   string
	EventStoreURL string // empty: the PostgreSQL store in DatabaseURL
	HTTPAddr      string
	// CORSOrigins are the browser origins allowed to call the API; empty allows any origin without
	// credentials.
	CORSOrigins []string
	// TrustedProxies are the load balancers whose X-Forwarded-For names the caller, and whose CDN location
	// headers are believed (comma-separated addresses or CIDR ranges); empty means callers connect directly.
	TrustedProxies []netip.Prefix
	// SMTPURL is the server the mail outbox sends through (format: mail.ParseSMTPURL); empty keeps messages
	// in the development mailbox (`pelcro mail list`).
	SMTPURL string
	// AuthSecret keys the customers' JWTs and one-time tokens (at least 32 bytes); empty means a secret
	// generated once and kept in the database, shared by every instance using it.
	AuthSecret string
	// PublicURL is the API's public origin: the JWT issuer is PublicURL + "/api/v1/sdk/customer" (changing it
	// signs every customer out) and profile photo URLs start with it.
	PublicURL string
	// DataDir holds uploaded files (profile photos).
	DataDir string
	// MasterKey wraps the keys that seal personal data in events (32 bytes in base64); empty means a key
	// generated once and kept in the database (internal/personaldata, docs/security.md).
	MasterKey string
	// PreviousMasterKeys are former master keys, kept to unwrap keys until `pelcro keys rewrap` moved them
	// to MasterKey (comma-separated).
	PreviousMasterKeys []string
	// LogLevel is the least severe level logged: debug, info (the default), warn or error.
	LogLevel slog.Level
	// StripeSecretKey selects the Stripe adapter for payment_gateway "stripe"; empty means the built-in
	// sandbox gateway (docs/payment-gateways.md). Like the other secrets it has no flag: flags show in ps.
	StripeSecretKey string
	// StripeAPIBase points the Stripe adapter at another server than Stripe (stripe-mock in tests).
	StripeAPIBase string
	// StripeWebhookSecret verifies the signatures of Stripe's webhook deliveries (whsec_…); empty refuses
	// every delivery.
	StripeWebhookSecret string
	// BillingInterval is how often `pelcro serve` does the billing work due by now (renewals, dunning,
	// expiry); 0 leaves it to `pelcro billing run`.
	BillingInterval time.Duration
	// GeoIPDB is the MaxMind-format database (GeoIP2 or GeoLite2 City or Country .mmdb) that places callers
	// for GET /location and GET /geo/country; empty leaves the trusted CDN's location headers alone
	// (docs/geo.md).
	GeoIPDB string
}

// FromEnv reads the configuration, falling back to the defaults for unset variables. A malformed value is
// an error: a proxy list silently ignored would make IP authorization trust or distrust the wrong callers.
func FromEnv() (Config, error) {
	var proxies proxyList
	if err := proxies.UnmarshalText([]byte(os.Getenv(EnvTrustedProxy))); err != nil {
		return Config{}, fmt.Errorf("%s: %w", EnvTrustedProxy, err)
	}
	var publicURL origin
	if err := publicURL.UnmarshalText([]byte(getenv(EnvPublicURL, DefaultPublicURL))); err != nil {
		return Config{}, fmt.Errorf("%s: %w", EnvPublicURL, err)
	}
	var level slog.Level
	if err := level.UnmarshalText([]byte(getenv(EnvLogLevel, "info"))); err != nil {
		return Config{}, fmt.Errorf("%s: %q is not debug, info, warn or error", EnvLogLevel, os.Getenv(EnvLogLevel))
	}
	billingInterval := DefaultBillingInterval
	if raw := os.Getenv(EnvBillingInterval); raw != "" {
		parsed, err := time.ParseDuration(raw)
		if err != nil || parsed < 0 {
			return Config{}, fmt.Errorf("%s: %q is not a duration like 1m or 0 (off)", EnvBillingInterval, raw)
		}
		billingInterval = parsed
	}
	stripeKey := os.Getenv(EnvStripeSecretKey)
	stripeBase, err := stripeAPIBase(stripeKey)
	if err != nil {
		return Config{}, err
	}
	return Config{
		DatabaseURL:        getenv(EnvDatabaseURL, DefaultDatabaseURL),
		EventStoreURL:      os.Getenv(EnvEventStoreURL),
		HTTPAddr:           getenv(EnvHTTPAddr, DefaultHTTPAddr),
		CORSOrigins:        splitList(os.Getenv(EnvCORSOrigins)),
		TrustedProxies:     proxies,
		SMTPURL:            os.Getenv(EnvSMTPURL),
		AuthSecret:         os.Getenv(EnvAuthSecret),
		PublicURL:          string(publicURL),
		DataDir:            getenv(EnvDataDir, DefaultDataDir),
		MasterKey:          os.Getenv(EnvMasterKey),
		PreviousMasterKeys: splitList(os.Getenv(EnvMasterKeyPrev)),
		LogLevel:           level,

		StripeSecretKey:     stripeKey,
		StripeAPIBase:       string(stripeBase),
		StripeWebhookSecret: os.Getenv(EnvStripeWebhookSecret),
		BillingInterval:     billingInterval,
		GeoIPDB:             os.Getenv(EnvGeoIPDB),
	}, nil
}

// stripeAPIBase reads PELCRO_STRIPE_API_BASE, refusing one that is no http(s) origin or is set without a
// key: the sandbox would serve payments and the operator pointing at stripe-mock would test nothing of Stripe.
func stripeAPIBase(key string) (origin, error) {
	var base origin
	raw := os.Getenv(EnvStripeAPIBase)
	if raw == "" {
		return base, nil
	}
	if key == "" {
		return base, fmt.Errorf("%s is set but %s is not: set both to use Stripe (or stripe-mock), neither for the sandbox gateway", EnvStripeAPIBase, EnvStripeSecretKey)
	}
	if err := base.UnmarshalText([]byte(raw)); err != nil {
		return base, fmt.Errorf("%s: %w", EnvStripeAPIBase, err)
	}
	return base, nil
}

// EventStore tells which backend to use and the URL to reach it: esdb:// and esdb+discover:// select
// EventStoreDB; postgres:// (or nothing, meaning the read-model database) selects the PostgreSQL store.
func (c Config) EventStore() (EventStoreKind, string, error) {
	if c.EventStoreURL == "" {
		return EventStorePostgres, c.DatabaseURL, nil
	}
	u, err := url.Parse(c.EventStoreURL)
	if err != nil {
		return "", "", fmt.Errorf("%s: %w", EnvEventStoreURL, err)
	}
	switch strings.ToLower(u.Scheme) {
	case "esdb", "esdb+discover":
		return EventStoreESDB, c.EventStoreURL, nil
	case "postgres", "postgresql":
		return EventStorePostgres, c.EventStoreURL, nil
	}
	return "", "", fmt.Errorf("%s: unsupported scheme %q (want esdb://, esdb+discover:// or postgres://)", EnvEventStoreURL, u.Scheme)
}

func getenv(name, fallback string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return fallback
}
