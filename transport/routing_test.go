package transport

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/apikeys"
	"github.com/pelcro-oss/pelcro-api/internal/geo"
	"github.com/pelcro-oss/pelcro-api/internal/idempotency"
	"github.com/pelcro-oss/pelcro-api/internal/idp"
	"github.com/pelcro-oss/pelcro-api/internal/media"
	"github.com/pelcro-oss/pelcro-api/queries"
)

func TestWrongMethodAnswers405WithTheMethodsOfThePath(t *testing.T) {
	t.Parallel()
	router := newTestRouter(t, Dependencies{Sites: testSites})
	cases := []struct {
		method, target, allow string
	}{
		{"DELETE", "/plan?site_id=1232", "GET, HEAD, POST"},
		{"POST", "/site", "GET, HEAD"},
		{"PATCH", "/newsletter/ann@example.com", "DELETE, GET, PUT"},
		{"GET", "/newsletter", "POST"},
		{"PUT", "/auth/login", "POST"},
		{"GET", "/auth/logout", "POST"},
		// one path served by a public route (POST) and a protected one (GET)
		{"DELETE", "/customer/email/verify", "GET, POST"},
		{"GET", "/customer", "POST, PUT"},
		{"DELETE", "/address/7", "PUT"},
		{"POST", "/ecommerce/products/site/1232", "GET, HEAD"},
		{"POST", "/openapi.json", "GET, HEAD"},
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.target, func(t *testing.T) {
			t.Parallel()
			// given a path the API serves, when it is called with a method it does not serve
			rec := serve(router, request(tc.method, APIBasePath+tc.target, "", ""))
			// then the answer is 405 in the error shape, naming the methods the path does serve
			assertError(t, rec, http.StatusMethodNotAllowed, "This method is not allowed for the requested resource.")
			if got := rec.Header().Get("Allow"); got != tc.allow {
				t.Fatalf("Allow = %q, want %q", got, tc.allow)
			}
		})
	}
	t.Run("outside the API base path", func(t *testing.T) {
		t.Parallel()
		rec := serve(router, request("POST", "/healthz", "", ""))
		assertError(t, rec, http.StatusMethodNotAllowed, "This method is not allowed for the requested resource.")
		if got := rec.Header().Get("Allow"); got != "GET, HEAD" {
			t.Fatalf("Allow = %q, want GET, HEAD", got)
		}
	})
	t.Run("an unknown path stays 404", func(t *testing.T) {
		t.Parallel()
		for _, target := range []string{"/plans", "/newsletter/a/b", "/address/"} {
			rec := serve(router, request("DELETE", APIBasePath+target, "", ""))
			assertError(t, rec, http.StatusNotFound, "The requested resource was not found.")
			if allow, set := rec.Header()["Allow"]; set {
				t.Fatalf("DELETE %s: a 404 names methods %v", target, allow)
			}
		}
	})
}

// wiredDependencies has every port NewRouter requires, as real components nothing in these tests calls.
func wiredDependencies() Dependencies {
	photos := media.Photos{Dir: "unused"}
	wait := func(context.Context, commands.Written) error { return nil }
	return Dependencies{
		Sites:                testSites,
		NewsletterCommands:   commands.Newsletters{},
		NewsletterQueries:    queries.NewNewsletters(nil),
		WaitForNewsletters:   wait,
		Catalog:              queries.NewCatalog(nil),
		Locator:              &geo.Database{},
		MemberIPs:            queries.MemberIPs{},
		CustomerCommands:     commands.Customers{},
		CustomerQueries:      queries.Customers{},
		CustomerTokens:       AuthTokens{},
		WaitForCustomers:     wait,
		Segments:             queries.Segments{},
		PricePreviews:        commands.PricePreviews{},
		OrderCommands:        commands.Orders{},
		Identities:           idp.New(idp.Config{}),
		Photos:               photos,
		Media:                photos.Handler(),
		Idempotency:          &idempotency.Store{},
		WalletCommands:       commands.Wallets{},
		PaymentMethods:       queries.PaymentMethods{},
		WaitForWallet:        wait,
		Intents:              commands.Intents{},
		WaitForConfirmation:  wait,
		InvoiceCommands:      commands.Invoices{},
		WaitForInvoices:      wait,
		AdminKeys:            apikeys.NewStore(nil, nil),
		AdminReads:           &fakeAdminReads{},
		Logger:               discardLogger(),
		SubscriptionCommands: commands.Subscriptions{},
		SubscriptionChanges:  commands.Subscriptions{},
		WaitForSubscriptions: wait,
		MembershipCommands:   commands.Subscriptions{},
		MembershipQueries:    queries.Customers{},
		WaitForMemberships:   wait,
	}
}

func TestNewRouterRefusesMissingDependencies(t *testing.T) {
	t.Parallel()
	cases := []struct {
		missing string
		remove  func(*Dependencies)
	}{
		{"Sites", func(d *Dependencies) { d.Sites = nil }},
		{"NewsletterCommands", func(d *Dependencies) { d.NewsletterCommands = nil }},
		{"NewsletterQueries", func(d *Dependencies) { d.NewsletterQueries = nil }},
		{"WaitForNewsletters", func(d *Dependencies) { d.WaitForNewsletters = nil }},
		{"Catalog", func(d *Dependencies) { d.Catalog = nil }},
		{"Locator", func(d *Dependencies) { d.Locator = nil }},
		{"MemberIPs", func(d *Dependencies) { d.MemberIPs = nil }},
		{"CustomerCommands", func(d *Dependencies) { d.CustomerCommands = nil }},
		{"CustomerQueries", func(d *Dependencies) { d.CustomerQueries = nil }},
		{"CustomerTokens", func(d *Dependencies) { d.CustomerTokens = nil }},
		{"WaitForCustomers", func(d *Dependencies) { d.WaitForCustomers = nil }},
		{"Segments", func(d *Dependencies) { d.Segments = nil }},
		{"PricePreviews", func(d *Dependencies) { d.PricePreviews = nil }},
		{"OrderCommands", func(d *Dependencies) { d.OrderCommands = nil }},
		{"Identities", func(d *Dependencies) { d.Identities = nil }},
		{"Photos", func(d *Dependencies) { d.Photos = nil }},
		{"Media", func(d *Dependencies) { d.Media = nil }},
		{"Idempotency", func(d *Dependencies) { d.Idempotency = nil }},
		{"WalletCommands", func(d *Dependencies) { d.WalletCommands = nil }},
		{"PaymentMethods", func(d *Dependencies) { d.PaymentMethods = nil }},
		{"WaitForWallet", func(d *Dependencies) { d.WaitForWallet = nil }},
		{"Intents", func(d *Dependencies) { d.Intents = nil }},
		{"WaitForConfirmation", func(d *Dependencies) { d.WaitForConfirmation = nil }},
		{"InvoiceCommands", func(d *Dependencies) { d.InvoiceCommands = nil }},
		{"WaitForInvoices", func(d *Dependencies) { d.WaitForInvoices = nil }},
		{"SubscriptionCommands", func(d *Dependencies) { d.SubscriptionCommands = nil }},
		{"SubscriptionChanges", func(d *Dependencies) { d.SubscriptionChanges = nil }},
		{"WaitForSubscriptions", func(d *Dependencies) { d.WaitForSubscriptions = nil }},
		{"MembershipCommands", func(d *Dependencies) { d.MembershipCommands = nil }},
		{"MembershipQueries", func(d *Dependencies) { d.MembershipQueries = nil }},
		{"WaitForMemberships", func(d *Dependencies) { d.WaitForMemberships = nil }},
		{"AdminKeys", func(d *Dependencies) { d.AdminKeys = nil }},
		{"AdminReads", func(d *Dependencies) { d.AdminReads = nil }},
	}
	for _, tc := range cases {
		t.Run(tc.missing, func(t *testing.T) {
			t.Parallel()
			// given every dependency but one
			deps := wiredDependencies()
			tc.remove(&deps)
			// when the router is wired, then it refuses, naming what is missing
			router, err := NewRouter(deps)
			if err == nil || router != nil || !strings.Contains(err.Error(), tc.missing) {
				t.Fatalf("NewRouter without %s = %v, %v; want an error naming it", tc.missing, router, err)
			}
		})
	}
	t.Run("several missing are named together", func(t *testing.T) {
		t.Parallel()
		_, err := NewRouter(Dependencies{Sites: testSites})
		if err == nil || !strings.Contains(err.Error(), "Catalog") || !strings.Contains(err.Error(), "Idempotency") {
			t.Fatalf("NewRouter of sites alone: %v; want an error naming every missing port", err)
		}
	})
	t.Run("all wired", func(t *testing.T) {
		t.Parallel()
		router, err := NewRouter(wiredDependencies())
		if err != nil {
			t.Fatal(err)
		}
		if rec := serve(router, request("GET", "/healthz", "", "")); rec.Code != http.StatusOK {
			t.Fatalf("GET /healthz = %d", rec.Code)
		}
	})
}

func TestPathsAreMatchedAsMuxMatchesThem(t *testing.T) {
	t.Parallel()
	router := newTestRouter(t, Dependencies{Sites: testSites})
	cases := []struct {
		name, target string
		status       int
		location     string
	}{
		{"a clean path is served", probePath + "?site_id=1232", http.StatusOK, ""},
		{"an unclean path is redirected to its clean form", APIBasePath + "/x/../probe?site_id=1232", http.StatusMovedPermanently, probePath + "?site_id=1232"},
		{"a doubled slash too", APIBasePath + "//probe", http.StatusMovedPermanently, probePath},
		{"a trailing slash names another resource", probePath + "/?site_id=1232", http.StatusNotFound, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a path, when it is requested, then the answer is mux's
			rec := serve(router, request("GET", tc.target, "", ""))
			if rec.Code != tc.status || rec.Header().Get("Location") != tc.location {
				t.Fatalf("GET %s = %d, Location %q; want %d, %q", tc.target, rec.Code, rec.Header().Get("Location"), tc.status, tc.location)
			}
		})
	}
}

// TestHandlersReadPathVariablesThroughPathVar guards dispatch's shortcut: a matched route's handler gets the
// request without mux's context, so mux.Vars and mux.CurrentRoute would find nothing there.
func TestHandlersReadPathVariablesThroughPathVar(t *testing.T) {
	t.Parallel()
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		source, err := os.ReadFile(name)
		if err != nil {
			t.Fatal(err)
		}
		for _, call := range []string{"mux.Vars(", "mux.CurrentRoute("} {
			if strings.Contains(string(source), call) {
				t.Errorf("%s calls %s: read path variables with pathVar (see dispatch)", name, call)
			}
		}
	}
}
