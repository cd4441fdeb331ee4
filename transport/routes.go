// Package transport is the HTTP face of the API (gorilla/mux). The whole route table lives in this file
// (newRouter) so a reader sees every endpoint in one place; handlers live in one file per resource family, and the
// conventions every endpoint shares (site, language, envelopes, caching) are described in
// docs/http-conventions.md.
package transport

import (
	"fmt"
	"net/http"
	"strings"

	"github.com/gorilla/mux"

	"github.com/pelcro-oss/pelcro-api/internal/media"
)

// APIBasePath is where every Open API endpoint lives (spec section 1.1).
const APIBasePath = "/api/v1/sdk"

// NewRouter returns the handler serving every route, or an error naming the dependencies missing from deps
// (every one but those documented as optional): a server that could not serve an endpoint fails when it
// is wired, not on the first request to that endpoint. It panics only if the embedded OpenAPI document is
// broken, which the package tests rule out.
func NewRouter(deps Dependencies) (http.Handler, error) {
	if missing := deps.missing(); len(missing) > 0 {
		return nil, fmt.Errorf("transport: the router needs %s", strings.Join(missing, ", "))
	}
	return newRouter(deps), nil
}

// newRouter wraps the route table in the middleware every response goes through. testRoutes lets tests
// mount extra handlers among the public site-scoped routes; it does not check deps (see newTestRouter).
func newRouter(deps Dependencies, testRoutes ...func(public routeGroup)) http.Handler {
	deps = deps.withDefaults()
	// Outermost first: every response, even a 404, a CORS preflight or a panic, gets a request id, a log
	// line, metrics and a Content-Language.
	routes := routeTable(deps, testRoutes...)
	return chain(dispatch(routes),
		beginRequest,
		negotiateLanguage,
		accessLog(deps.Logger),
		newHTTPMetrics(deps.Metrics).middleware,
		recoverPanics(deps.Logger),
		allowCORS(deps.AllowedOrigins),
		limitBody(deps.MaxBodyBytes, routes),
	)
}

// routeTable builds the routes themselves, the one place listing every endpoint, without the outer
// middleware (deps with its defaults applied). docs/api.md lists every route it holds, and a test walks it
// to keep that list true: a route added or removed here fails that test until the list says so.
func routeTable(deps Dependencies, testRoutes ...func(public routeGroup)) *mux.Router {
	document, err := OpenAPIDocument()
	if err != nil {
		panic(fmt.Sprintf("transport: embedded OpenAPI document: %v", err))
	}

	root := mux.NewRouter()
	root.NotFoundHandler = notFound()
	root.MethodNotAllowedHandler = methodNotAllowed(root)
	plain := routeGroup{router: root}
	// Everything under the base path: the body of an Idempotency-Key mutation digested, input decoded into
	// Params, language refined by the body.
	api := routeGroup{router: root, prefix: APIBasePath}.with(digestIdempotentBody, decodeInput)
	// Site-scoped endpoints: site_id required and checked, site default language applied. Public ones and
	// token-protected ones each honour Idempotency-Key for their caller: the site and client address, or
	// the authenticated customer (so on protected routes only after the token was checked).
	site := api.with(requireSite(deps.Sites, deps.Logger))
	public := site.with(deps.idempotencyGuard(publicScope(deps.TrustedProxies)).middleware)
	protected := site.with(requireCustomer(deps.CustomerTokens, deps.Logger), deps.idempotencyGuard(customerScope).middleware)

	plain.Handle("/healthz", healthz()).Methods(http.MethodGet, http.MethodHead)
	plain.Handle("/readyz", readyz(deps.Readiness)).Methods(http.MethodGet, http.MethodHead)
	plain.Handle("/metrics", metricsHandler(deps.Metrics)).Methods(http.MethodGet)
	plain.HandlePrefix(media.PhotoPath, deps.Media).Methods(http.MethodGet, http.MethodHead)
	api.Handle("/openapi.json", serveOpenAPI(document)).Methods(http.MethodGet, http.MethodHead)

	// 3-D Secure confirmations (docs/payments.md): the page the front end returns the customer to, and
	// Stripe's webhook.
	intents := intentHandlers{deps: deps}
	plain.HandleFunc(ThreeDSecureReturnPath, intents.threeDSecureReturn).Methods(http.MethodGet)
	plain.HandleFunc(StripeWebhookPath, intents.stripeWebhook).Methods(http.MethodPost)

	// Authentication (spec #1–#9).
	customers := customerHandlers{deps: deps}
	public.HandleFunc("/auth/register", customers.register).Methods(http.MethodPost)
	public.HandleFunc("/auth/login", customers.login).Methods(http.MethodPost)
	public.HandleFunc("/auth/idp/login", customers.identityLogin).Methods(http.MethodPost)
	public.HandleFunc("/auth/passwordless/request", customers.passwordlessRequest).Methods(http.MethodPost)
	public.HandleFunc("/auth/passwordless/login", customers.passwordlessLogin).Methods(http.MethodPost)
	public.HandleFunc("/password/forgot", customers.forgotPassword).Methods(http.MethodPost)
	public.HandleFunc("/password/reset", customers.resetPassword).Methods(http.MethodPost)
	protected.HandleFunc("/auth/logout", customers.logout).Methods(http.MethodPost)
	protected.HandleFunc("/password/update", customers.updatePassword).Methods(http.MethodPost)

	// The customer's profile and addresses (spec #10–#12, #16–#19, #46–#47).
	protected.HandleFunc("/customer", customers.getCustomer).Methods(http.MethodPost)
	protected.HandleFunc("/customer", customers.updateCustomer).Methods(http.MethodPut)
	protected.HandleFunc("/customer/refresh", customers.refreshToken).Methods(http.MethodPost)
	protected.HandleFunc("/customer/email/verify", customers.requestEmailVerification).Methods(http.MethodGet)
	public.HandleFunc("/customer/email/verify", customers.verifyEmail).Methods(http.MethodPost)
	protected.HandleFunc(pictureUploadPath, customers.uploadPicture).Methods(http.MethodPost)
	protected.HandleFunc(pictureUploadPath, customers.removePicture).Methods(http.MethodDelete)
	protected.HandleFunc("/address", customers.addAddress).Methods(http.MethodPost)
	protected.HandleFunc("/address/{address_id}", customers.updateAddress).Methods(http.MethodPut)

	// What the customer qualifies for through segments (spec #13–#15).
	segments := segmentHandlers{segments: deps.Segments, log: deps.Logger}
	protected.HandleFunc("/customer/plans", segments.plans).Methods(http.MethodGet)
	protected.HandleFunc("/customer/coupons", segments.coupons).Methods(http.MethodGet)
	protected.HandleFunc("/customer/product_sku", segments.skus).Methods(http.MethodGet)

	// Payment methods and the deprecated sources (spec #38–#44).
	wallet := walletHandlers{customers}
	protected.HandleFunc("/payment_methods", wallet.create).Methods(http.MethodPost)
	protected.HandleFunc("/payment_methods", wallet.list).Methods(http.MethodGet)
	protected.HandleFunc("/payment_methods/{payment_method_id}", wallet.get).Methods(http.MethodGet)
	protected.HandleFunc("/payment_methods/{payment_method_id}", wallet.update).Methods(http.MethodPut)
	protected.HandleFunc("/payment_methods/{payment_method_id}", wallet.remove).Methods(http.MethodDelete)
	protected.HandleFunc("/source", wallet.createSource).Methods(http.MethodPost)
	protected.HandleFunc("/source/{id}", wallet.updateSource).Methods(http.MethodPut)

	// The subscription price preview (spec #32).
	orders := orderHandlers{previews: deps.PricePreviews, catalog: deps.Catalog, log: deps.Logger}
	protected.HandleFunc("/order", orders.preview).Methods(http.MethodPost)

	// E-commerce orders (spec #53, #54).
	ecommerce := ecommerceHandlers{wallet}
	protected.HandleFunc("/ecommerce/order-summary", ecommerce.summary).Methods(http.MethodPost)
	protected.HandleFunc("/ecommerce/order", ecommerce.place).Methods(http.MethodPost)

	// Invoices (spec #45).
	invoices := invoiceHandlers{wallet}
	protected.HandleFunc("/invoices/{invoice_id}/pay", invoices.pay).Methods(http.MethodPost)

	// Subscriptions (spec #27–#29).
	subscriptions := subscriptionHandlers{wallet}
	protected.HandleFunc("/subscription", subscriptions.create).Methods(http.MethodPost)
	protected.HandleFunc("/subscription/cancel", subscriptions.cancel).Methods(http.MethodPost)
	protected.HandleFunc("/subscription/reactivate", subscriptions.reactivate).Methods(http.MethodPost)

	// Renewals, plan changes and gifts (spec #30, #31, #33, #34).
	changes := subscriptionChangeHandlers{wallet}
	protected.HandleFunc("/subscription/renew", changes.renew).Methods(http.MethodPost)
	protected.HandleFunc("/subscription/change", changes.change).Methods(http.MethodPost)
	protected.HandleFunc("/subscription/gift/renew", changes.renewGift).Methods(http.MethodPost)
	protected.HandleFunc("/gift/redeem", changes.redeem).Methods(http.MethodPost)

	// Membership seats (spec #35–#37).
	seats := membershipHandlers{wallet}
	protected.HandleFunc("/subscriptions/{id}/members/list", seats.list).Methods(http.MethodGet)
	protected.HandleFunc("/subscriptions/{id}/members/invite", seats.invite).Methods(http.MethodPost)
	protected.HandleFunc("/subscriptions/{id}/members/{member_id}", seats.remove).Methods(http.MethodDelete)

	// Newsletters (spec 2.9).
	newsletters := newNewsletterHandlers(deps)
	public.HandleFunc("/newsletter", newsletters.subscribe).Methods(http.MethodPost)
	public.HandleFunc("/newsletter/{email}", newsletters.get).Methods(http.MethodGet)
	public.HandleFunc("/newsletter/{email}", newsletters.update).Methods(http.MethodPut)
	public.HandleFunc("/newsletter/{email}", newsletters.unsubscribe).Methods(http.MethodDelete)

	// The catalog (spec 2.3, 2.10).
	catalog := catalogHandlers{catalog: deps.Catalog, trustedProxies: deps.TrustedProxies, log: deps.Logger}
	public.HandleFunc("/site", catalog.site).Methods(http.MethodGet, http.MethodHead)
	public.HandleFunc("/plan", catalog.plan).Methods(http.MethodGet, http.MethodHead, http.MethodPost)
	public.HandleFunc("/plan/ip/authorization", catalog.ipAuthorization).Methods(http.MethodGet, http.MethodHead)
	public.HandleFunc("/plan/domain/authorization", catalog.domainAuthorization).Methods(http.MethodGet, http.MethodHead)
	public.HandleFunc("/ecommerce/products/site/{site_id}", catalog.ecommerceProducts).Methods(http.MethodGet, http.MethodHead)

	// Geography (spec #25, #26; docs/geo.md).
	geography := geoHandlers{locator: deps.Locator, trustedProxies: deps.TrustedProxies, log: deps.Logger}
	public.HandleFunc("/geo/country", geography.countries).Methods(http.MethodGet, http.MethodHead)
	public.HandleFunc("/geo/country/{country_code}", geography.countries).Methods(http.MethodGet, http.MethodHead)
	public.HandleFunc("/location", geography.location).Methods(http.MethodGet, http.MethodHead)
	// The site licence: memberships whose IP ranges hold the caller (spec #24).
	members := memberIPHandlers{members: deps.MemberIPs, trustedProxies: deps.TrustedProxies, log: deps.Logger}
	public.HandleFunc("/members/ip/authorization", members.ipAuthorization).Methods(http.MethodGet, http.MethodHead)

	// The admin API and console (docs/operations.md): read-only, outside the Open API, scoped to the account
	// of the API key presented (the API) or signed in with (the console's session cookie).
	adminAPI := routeGroup{router: root, prefix: AdminAPIPath}.with(requireAdminKey(deps.AdminKeys, deps.Logger), requireAdminQueryText)
	admin := adminAPIHandlers{deps: deps}
	adminAPI.HandleFunc("/projections", admin.projections).Methods(http.MethodGet)
	adminAPI.HandleFunc("/customers", admin.searchCustomers).Methods(http.MethodGet)
	adminAPI.HandleFunc("/customers/{customer_id}", admin.customer).Methods(http.MethodGet)
	adminAPI.HandleFunc("/customers/{customer_id}/timeline", admin.timeline).Methods(http.MethodGet)
	adminAPI.HandleFunc("/customers/{customer_id}/as-of", admin.asOf).Methods(http.MethodGet)
	adminAPI.HandleFunc("/customers/{customer_id}/events", admin.events).Methods(http.MethodGet)

	console := routeGroup{router: root, prefix: ConsolePath}.with(requireConsoleSession(deps.AdminKeys, deps.Logger),
		requireConsoleQueryText(deps.Logger))
	pages, session := consoleHandlers{deps: deps}, consoleSession{deps: deps}
	plain.HandleFunc(consoleSignInPath, session.form).Methods(http.MethodGet)
	forms := plain.with(requireSameOrigin(deps.PublicURL, deps.Logger))
	forms.HandleFunc(consoleSignInPath, session.signIn).Methods(http.MethodPost)
	forms.HandleFunc(ConsolePath+"/sign-out", session.signOut).Methods(http.MethodPost)
	plain.HandlePrefix(consoleAssetsPath, consoleAssets()).Methods(http.MethodGet, http.MethodHead)
	console.HandleFunc("", pages.home).Methods(http.MethodGet)
	console.HandleFunc("/customers", pages.search).Methods(http.MethodGet)
	console.HandleFunc("/customers/{customer_id}", pages.customer).Methods(http.MethodGet)
	console.HandleFunc("/customers/{customer_id}/as-of", pages.asOf).Methods(http.MethodGet)

	for _, register := range testRoutes {
		register(public)
	}
	return root
}

// chain wraps h so that middleware[0] runs first.
func chain(h http.Handler, middleware ...func(http.Handler) http.Handler) http.Handler {
	for i := len(middleware) - 1; i >= 0; i-- {
		h = middleware[i](h)
	}
	return h
}
