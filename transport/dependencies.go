package transport

import (
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/pelcro-oss/pelcro-api/commands"
)

// Dependencies are what the handlers need from the rest of the system, wired by cmd/pelcro. The ports
// (interfaces and waits) are required: NewRouter names the ones missing. The other fields are optional and
// their zero values get working defaults.
type Dependencies struct {
	// Readiness lists the checks /readyz runs: ready when all pass, degraded (still 200) when only checks
	// that say so fail (see ReadinessCheck), not ready (503) otherwise. Optional: none means always ready.
	Readiness []ReadinessCheck
	// Sites answers whether a site_id exists.
	Sites SiteDirectory
	// Logger receives access logs and failures; nil means slog.Default().
	Logger *slog.Logger
	// Metrics is the registry the HTTP metrics join and /metrics serves; nil means a private registry with
	// the Go and process collectors. Pass the process-wide registry so other packages' metrics show too.
	Metrics *prometheus.Registry
	// AllowedOrigins are the browser origins allowed by CORS; empty means any origin (see policy.go).
	AllowedOrigins []string
	// MaxBodyBytes caps request bodies; zero means DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// NewsletterCommands, NewsletterQueries and WaitForNewsletters serve spec 2.9; the wait returns once the
	// newsletters projection reached the position (projections.Runner.WaitFor with its name).
	NewsletterCommands NewsletterCommands
	NewsletterQueries  NewsletterQueries
	WaitForNewsletters commands.ReadModelWait
	// Catalog serves the site, plan, authorization and e-commerce product reads (spec 2.3, 2.10) and the
	// sites' settings the customer endpoints follow.
	Catalog CatalogQueries
	// MemberIPs finds the membership subscriptions whose IP ranges hold the caller (spec #24).
	MemberIPs MemberIPQueries
	// TrustedProxies are the peers whose X-Forwarded-For is believed when finding the caller's address (IP
	// authorization, geolocation), and whose CDN location headers are believed when Locator does not know
	// the address; empty means the connection's peer is the caller.
	TrustedProxies []netip.Prefix
	// Locator places callers for GET /location and GET /geo/country (geo.Database; one without a file
	// knows no address, leaving the CDN's headers).
	Locator Locator
	// CustomerCommands, CustomerQueries, CustomerTokens and WaitForCustomers serve the customer endpoints
	// (spec 2.1, 2.2, 2.8); the wait returns once the customers projection reached the position;
	// CustomerTokens also authenticates the protected endpoints' callers.
	CustomerCommands CustomerCommands
	CustomerQueries  CustomerQueries
	CustomerTokens   CustomerTokens
	WaitForCustomers commands.ReadModelWait
	// Segments lists what a customer qualifies for through segments (spec #13–#15).
	Segments SegmentQueries
	// PricePreviews prices a plan for the caller (POST /order, spec #32).
	PricePreviews PricePreviewer
	// OrderCommands prices carts and places e-commerce orders (spec #53, #54).
	OrderCommands OrderCommands
	// Identities verifies identity providers' tokens for POST /auth/idp/login.
	Identities IdentityVerifier
	// Photos stores profile photos; Media serves them under media.PhotoPath, where the URLs Photos gives
	// point.
	Photos PhotoStore
	Media  http.Handler
	// PublicURL is the API's public origin (e.g. "https://api.example.com") for URLs given to clients;
	// empty means the origin each request came to.
	PublicURL string
	// WalletCommands, PaymentMethods and WaitForWallet serve the payment methods (spec 2.6); the wait returns
	// once the payment methods projection reached the position.
	WalletCommands WalletCommands
	PaymentMethods PaymentMethodQueries
	WaitForWallet  commands.ReadModelWait
	// Intents confirms 3-D Secure intents for the return page and the webhook; WaitForConfirmation returns
	// once every read model a confirmation changes reached the position.
	Intents             IntentConfirmer
	WaitForConfirmation commands.ReadModelWait
	// InvoiceCommands and WaitForInvoices serve invoice pay (spec 2.7); the wait returns once the invoices
	// projection reached the position. The answer also waits for WaitForSubscriptions (a subscription's
	// invoice paid makes it active).
	InvoiceCommands InvoiceCommands
	WaitForInvoices commands.ReadModelWait
	// SubscriptionCommands and WaitForSubscriptions serve the subscription endpoints (spec 2.4); the wait
	// returns once the subscriptions read model reached the position. The answers also wait for
	// WaitForInvoices and WaitForWallet unless the command wrote no invoice and no card.
	SubscriptionCommands SubscriptionCommands
	// SubscriptionChanges serves renew, change, gift renew and redeem (spec #30, #31, #33, #34), answered,
	// as creations are, once the read models the command changed reflect it (subscriptionWait: all three,
	// since a change may invoice or charge).
	SubscriptionChanges  SubscriptionChangeCommands
	WaitForSubscriptions commands.ReadModelWait
	// MembershipCommands, MembershipQueries and WaitForMemberships serve the membership seats (spec 2.5);
	// the wait returns once the seats read model reached the position.
	MembershipCommands MembershipCommands
	MembershipQueries  MembershipQueries
	WaitForMemberships commands.ReadModelWait
	// StripeWebhookSecret verifies Stripe's webhook deliveries (PELCRO_STRIPE_WEBHOOK_SECRET); empty (allowed)
	// refuses every delivery.
	StripeWebhookSecret string
	// Idempotency keeps the Idempotency-Key claims and answers every instance shares.
	Idempotency IdempotencyStore
	// AdminKeys authenticates the callers of the admin API and console (/admin) by API key; AdminReads
	// answers them. Every answer is scoped to the key's account.
	AdminKeys  AdminKeys
	AdminReads AdminReads
	// IdempotencyWait is how long a request waits for another one holding its key before answering 409;
	// zero means DefaultIdempotencyWait.
	IdempotencyWait time.Duration
}

// missing names the required dependencies d lacks, in the order of the struct.
//
// Warning: a new port added to Dependencies must be listed here, or a router wired without it fails on
// the first request that needs it (a nil interface call, answered 500 by recoverPanics) instead of at start.
func (d Dependencies) missing() []string {
	var missing []string
	for _, dep := range []struct {
		name  string
		wired bool
	}{
		{"Sites", d.Sites != nil},
		{"NewsletterCommands", d.NewsletterCommands != nil},
		{"NewsletterQueries", d.NewsletterQueries != nil},
		{"WaitForNewsletters", d.WaitForNewsletters != nil},
		{"Catalog", d.Catalog != nil},
		{"Locator", d.Locator != nil},
		{"MemberIPs", d.MemberIPs != nil},
		{"CustomerCommands", d.CustomerCommands != nil},
		{"CustomerQueries", d.CustomerQueries != nil},
		{"CustomerTokens", d.CustomerTokens != nil},
		{"WaitForCustomers", d.WaitForCustomers != nil},
		{"Segments", d.Segments != nil},
		{"PricePreviews", d.PricePreviews != nil},
		{"OrderCommands", d.OrderCommands != nil},
		{"Identities", d.Identities != nil},
		{"Photos", d.Photos != nil},
		{"Media", d.Media != nil},
		{"Idempotency", d.Idempotency != nil},
		{"WalletCommands", d.WalletCommands != nil},
		{"PaymentMethods", d.PaymentMethods != nil},
		{"WaitForWallet", d.WaitForWallet != nil},
		{"Intents", d.Intents != nil},
		{"WaitForConfirmation", d.WaitForConfirmation != nil},
		{"InvoiceCommands", d.InvoiceCommands != nil},
		{"WaitForInvoices", d.WaitForInvoices != nil},
		{"SubscriptionCommands", d.SubscriptionCommands != nil},
		{"SubscriptionChanges", d.SubscriptionChanges != nil},
		{"WaitForSubscriptions", d.WaitForSubscriptions != nil},
		{"MembershipCommands", d.MembershipCommands != nil},
		{"MembershipQueries", d.MembershipQueries != nil},
		{"WaitForMemberships", d.WaitForMemberships != nil},
		{"AdminKeys", d.AdminKeys != nil},
		{"AdminReads", d.AdminReads != nil},
	} {
		if !dep.wired {
			missing = append(missing, dep.name)
		}
	}
	return missing
}

func (d Dependencies) withDefaults() Dependencies {
	if d.Logger == nil {
		d.Logger = slog.Default()
	}
	if d.Metrics == nil {
		d.Metrics = prometheus.NewRegistry()
		d.Metrics.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	}
	if d.MaxBodyBytes <= 0 {
		d.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if d.IdempotencyWait <= 0 {
		d.IdempotencyWait = DefaultIdempotencyWait
	}
	return d
}

// idempotencyGuard is the Idempotency-Key middleware for callers named by scope.
func (d Dependencies) idempotencyGuard(scope func(*http.Request) string) idempotencyGuard {
	return idempotencyGuard{store: d.Idempotency, wait: d.IdempotencyWait, log: d.Logger, scope: scope}
}
