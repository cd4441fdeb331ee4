// Package transport is the HTTP face of the API (gorilla/mux). The whole route table lives in this file so a
// reader sees every endpoint in one place; handlers live in one file per resource family, and the
// conventions every endpoint shares (site, language, envelopes, caching) are described in
// docs/http-conventions.md.
package transport

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/netip"
	"time"

	"github.com/gorilla/mux"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"

	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/media"
)

// APIBasePath is where every Open API endpoint lives (spec section 1.1).
const APIBasePath = "/api/v1/sdk"

// Dependencies are what the handlers need from the rest of the system, wired by cmd/pelcro. Zero values get
// working defaults, so a router can be built with only the fields a caller cares about.
type Dependencies struct {
	// Readiness lists the checks /readyz runs: ready when all pass, degraded (still 200) when only checks
	// that say so fail (see ReadinessCheck), not ready (503) otherwise.
	Readiness []ReadinessCheck
	// Sites answers whether a site_id exists. Without it every site-scoped endpoint answers 500.
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
	// newsletters projection reached the position (projections.Runner.WaitFor with its name). Without
	// them the newsletter endpoints answer 500.
	NewsletterCommands NewsletterCommands
	NewsletterQueries  NewsletterQueries
	WaitForNewsletters commands.ReadModelWait
	// Catalog serves the site, plan, authorization and e-commerce product reads (spec 2.3, 2.10). Without it
	// those endpoints answer 500.
	Catalog CatalogQueries
	// TrustedProxies are the peers whose X-Forwarded-For is believed when finding the caller's address (IP
	// authorization); empty means the connection's peer is the caller.
	TrustedProxies []netip.Prefix
	// CustomerCommands, CustomerQueries, CustomerTokens and WaitForCustomers serve the customer endpoints
	// (spec 2.1, 2.2, 2.8); the wait returns once the customers projection reached the position. Without
	// them those endpoints answer 500 (and protected ones cannot authenticate anybody).
	CustomerCommands CustomerCommands
	CustomerQueries  CustomerQueries
	CustomerTokens   CustomerTokens
	WaitForCustomers commands.ReadModelWait
	// Identities verifies identity providers' tokens for POST /auth/idp/login.
	Identities IdentityVerifier
	// Photos stores profile photos; Media serves them under media.PhotoPath.
	Photos PhotoStore
	Media  http.Handler
	// PublicURL is the API's public origin (e.g. "https://api.example.com") for URLs given to clients;
	// empty means the origin each request came to.
	PublicURL string
	// WalletCommands, PaymentMethods and WaitForWallet serve the payment methods (spec 2.6); the wait returns
	// once the payment methods projection reached the position. Without them those endpoints answer 500.
	WalletCommands WalletCommands
	PaymentMethods PaymentMethodQueries
	WaitForWallet  commands.ReadModelWait
	// Intents confirms 3-D Secure intents for the return page and the webhook; WaitForConfirmation returns
	// once every read model a confirmation changes reached the position.
	Intents             IntentConfirmer
	WaitForConfirmation commands.ReadModelWait
	// InvoiceCommands and WaitForInvoices serve invoice pay (spec 2.7); the wait returns once the invoices
	// projection reached the position. Without them it answers 500.
	InvoiceCommands InvoiceCommands
	WaitForInvoices commands.ReadModelWait
	// StripeWebhookSecret verifies Stripe's webhook deliveries (PELCRO_STRIPE_WEBHOOK_SECRET); empty refuses
	// every delivery.
	StripeWebhookSecret string
	// Idempotency keeps the Idempotency-Key claims and answers every instance shares. Without it a
	// mutation sent with the header answers 500 (it is never run unprotected); others work.
	Idempotency IdempotencyStore
	// IdempotencyWait is how long a request waits for another one holding its key before answering 409;
	// zero means DefaultIdempotencyWait.
	IdempotencyWait time.Duration
}

// NewRouter returns the handler serving every route. It panics only if the embedded OpenAPI document is
// broken, which the package tests rule out.
func NewRouter(deps Dependencies) http.Handler {
	return newRouter(deps)
}

// newRouter builds the route table. siteRoutes lets tests mount extra handlers among the public site-scoped
// routes before real endpoints exist.
func newRouter(deps Dependencies, siteRoutes ...func(site *mux.Router)) http.Handler {
	deps = deps.withDefaults()
	document, err := OpenAPIDocument()
	if err != nil {
		panic(fmt.Sprintf("transport: embedded OpenAPI document: %v", err))
	}

	root := mux.NewRouter()
	root.NotFoundHandler = notFound()
	root.MethodNotAllowedHandler = methodNotAllowed()
	root.Use(recordRoute)
	root.Handle("/healthz", healthz()).Methods(http.MethodGet, http.MethodHead)
	root.Handle("/readyz", readyz(deps.Readiness)).Methods(http.MethodGet, http.MethodHead)
	root.Handle("/metrics", metricsHandler(deps.Metrics)).Methods(http.MethodGet)
	intents := intentHandlers{deps: deps}
	root.HandleFunc(ThreeDSecureReturnPath, intents.threeDSecureReturn).Methods(http.MethodGet)
	root.HandleFunc(StripeWebhookPath, intents.stripeWebhook).Methods(http.MethodPost)

	// Everything under the base path: the body of an Idempotency-Key mutation digested, input decoded into
	// Params, language refined by the body.
	api := root.PathPrefix(APIBasePath).Subrouter()
	api.Use(digestIdempotentBody, decodeInput)
	api.Handle("/openapi.json", serveOpenAPI(document)).Methods(http.MethodGet, http.MethodHead)

	// Site-scoped endpoints: site_id required and checked, site default language applied. Public ones and
	// token-protected ones each honour Idempotency-Key for their caller: the site and client address, or
	// the authenticated customer (so on protected routes only after the token was checked).
	site := api.NewRoute().Subrouter()
	site.Use(requireSite(deps.Sites, deps.Logger))
	// Protected comes first: gorilla/mux forgets a method mismatch as soon as it tries a later route, so only
	// the last routes can answer 405; the public ones, which tests extend with a probe, stay last.
	protected := site.NewRoute().Subrouter()
	protected.Use(requireCustomer(deps.CustomerTokens, deps.Logger), deps.idempotencyGuard(customerScope).middleware)
	public := site.NewRoute().Subrouter()
	public.Use(deps.idempotencyGuard(publicScope(deps.TrustedProxies)).middleware)
	newsletters := newNewsletterHandlers(deps)
	public.HandleFunc("/newsletter", newsletters.subscribe).Methods(http.MethodPost)
	public.HandleFunc("/newsletter/{email}", newsletters.get).Methods(http.MethodGet)
	public.HandleFunc("/newsletter/{email}", newsletters.update).Methods(http.MethodPut)
	public.HandleFunc("/newsletter/{email}", newsletters.unsubscribe).Methods(http.MethodDelete)
	catalog := catalogHandlers{catalog: deps.Catalog, trustedProxies: deps.TrustedProxies, log: deps.Logger}
	public.HandleFunc("/site", catalog.site).Methods(http.MethodGet, http.MethodHead)
	public.HandleFunc("/plan", catalog.plan).Methods(http.MethodGet, http.MethodHead, http.MethodPost)
	public.HandleFunc("/plan/ip/authorization", catalog.ipAuthorization).Methods(http.MethodGet, http.MethodHead)
	public.HandleFunc("/plan/domain/authorization", catalog.domainAuthorization).Methods(http.MethodGet, http.MethodHead)
	public.HandleFunc("/ecommerce/products/site/{site_id}", catalog.ecommerceProducts).Methods(http.MethodGet, http.MethodHead)
	customers := customerHandlers{deps: deps}
	customers.authRoutes(public, protected)
	customers.profileRoutes(public, protected)
	walletHandlers{customers}.paymentMethodRoutes(protected)
	invoiceHandlers{walletHandlers{customers}}.invoiceRoutes(protected)
	if deps.Media != nil {
		root.PathPrefix(media.PhotoPath).Handler(deps.Media).Methods(http.MethodGet, http.MethodHead)
	}
	for _, register := range siteRoutes {
		register(public)
	}

	// Outermost first: every response, even a 404, a CORS preflight or a panic, gets a request id, a log
	// line, metrics and a Content-Language.
	return chain(root,
		beginRequest,
		negotiateLanguage,
		accessLog(deps.Logger),
		newHTTPMetrics(deps.Metrics).middleware,
		recoverPanics(deps.Logger),
		allowCORS(deps.AllowedOrigins),
		limitBody(deps.MaxBodyBytes),
	)
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

// chain wraps h so that middleware[0] runs first.
func chain(h http.Handler, middleware ...func(http.Handler) http.Handler) http.Handler {
	for i := len(middleware) - 1; i >= 0; i-- {
		h = middleware[i](h)
	}
	return h
}
