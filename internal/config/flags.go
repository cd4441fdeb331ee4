package config

import (
	"github.com/spf13/pflag"
)

// BindFlags defines a flag for every setting but the secrets, each defaulting to c's current value (read
// from the environment), so a flag given on the command line overrides the environment and --help shows
// the value in force. Flags parse with the same code as the environment and refuse the same values.
//
// The secrets (PELCRO_AUTH_SECRET, PELCRO_MASTER_KEY, PELCRO_MASTER_KEY_PREVIOUS, PELCRO_STRIPE_SECRET_KEY,
// PELCRO_STRIPE_WEBHOOK_SECRET, and PELCRO_SMTP_URL, whose URL holds the SMTP password) have no flag on
// purpose: a command line is visible to every user of the machine (ps, /proc). Warning: adding a flag for one of them leaks it that way.
func (c *Config) BindFlags(flags *pflag.FlagSet) {
	flags.StringVar(&c.DatabaseURL, "database-url", c.DatabaseURL,
		"PostgreSQL URL of the read models, created if missing by serve and migrate only ("+EnvDatabaseURL+")")
	flags.StringVar(&c.EventStoreURL, "eventstore-url", c.EventStoreURL,
		"event store URL: esdb://… selects EventStoreDB, postgres://… or empty the PostgreSQL store ("+EnvEventStoreURL+")")
	flags.StringVar(&c.HTTPAddr, "http-addr", c.HTTPAddr, "address the HTTP API listens on ("+EnvHTTPAddr+")")
	flags.TextVar((*textList)(&c.CORSOrigins), "cors-origins", textList(c.CORSOrigins),
		"comma-separated browser `origins` CORS allows; empty allows any origin, without credentials ("+EnvCORSOrigins+")")
	flags.TextVar((*proxyList)(&c.TrustedProxies), "trusted-proxies", proxyList(c.TrustedProxies),
		"comma-separated `addresses` or CIDR ranges of the load balancers whose X-Forwarded-For names the caller and whose CDN location headers are believed ("+EnvTrustedProxy+")")
	flags.TextVar((*origin)(&c.PublicURL), "public-url", origin(c.PublicURL),
		"the API's public `origin`: JWT issuer and profile photo URLs ("+EnvPublicURL+")")
	flags.StringVar(&c.DataDir, "data-dir", c.DataDir, "directory of uploaded files (profile photos) ("+EnvDataDir+")")
	flags.TextVar((*origin)(&c.StripeAPIBase), "stripe-api-base", origin(c.StripeAPIBase),
		"another `origin` for Stripe's API, e.g. stripe-mock's; needs "+EnvStripeSecretKey+" ("+EnvStripeAPIBase+")")
	flags.DurationVar(&c.BillingInterval, "billing-interval", c.BillingInterval,
		"how often serve bills what is due (renewals, dunning retries, expiries); 0 leaves it to \"pelcro billing run\" ("+EnvBillingInterval+")")
	flags.StringVar(&c.GeoIPDB, "geoip-db", c.GeoIPDB,
		"MaxMind-format `file` (.mmdb) placing callers for /location and /geo/country; empty trusts the CDN's location headers alone ("+EnvGeoIPDB+")")
	flags.TextVar(&c.LogLevel, "log-level", c.LogLevel, "least severe `level` logged: debug, info, warn or error ("+EnvLogLevel+")")
}
