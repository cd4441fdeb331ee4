package transport

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
	"github.com/pelcro-oss/pelcro-api/projections"
	"github.com/pelcro-oss/pelcro-api/projections/memberip"
	membershipprojection "github.com/pelcro-oss/pelcro-api/projections/membership"
	subscriptionprojection "github.com/pelcro-oss/pelcro-api/projections/subscription"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// subscriptionWorld is the invoice stack (invoiceStack) with the subscription commands selling
// saleCatalog's plans and the subscriptions projection running.
type subscriptionWorld struct {
	*invoiceWorld
	subscriptions commands.Subscriptions
	runner        *projections.Runner
}

// saleCatalog sells, on the news site, plan 4051 (1000 usd a month, renewing), plan 4052 (free), plan 4053
// (a free membership seating two), plan 4054 (4051 that may be paid by invoice), plan 4060 (Canada only),
// plan 4061 (4051 shipped: it needs an address) and plan 4070 (a free membership); its account allows
// immediate cancellation.
type saleCatalog struct{}

func (saleCatalog) Plan(_ context.Context, siteID, planID int64) (commands.SalePlan, error) {
	terms := subscription.Terms{PlanID: planID, ProductID: 10, Amount: 1000, Currency: "usd", Interval: "month",
		IntervalCount: 1, AutoRenew: true}
	plan := commands.SalePlan{Terms: terms, SiteID: siteID, Active: true}
	switch {
	case siteID != customerSite:
		return commands.SalePlan{}, commands.ErrPlanNotFound
	case planID == 4051:
	case planID == 4052:
		plan.Terms.Amount = 0
	case planID == 4053:
		plan.Terms.Amount, plan.Terms.Membership, plan.Terms.MemberSeatCapacity = 0, true, 2
	case planID == 4054:
		plan.SendInvoice = true
	case planID == 4055: // 10000 of it are more than one charge takes
		plan.Terms.Amount = 10_000
	case planID == 4060:
		plan.Countries = []string{"CA"}
	case planID == 4061:
		plan.AddressRequired = true
	case planID == 4070:
		plan.Terms.Amount, plan.Terms.Membership = 0, true
	default:
		return commands.SalePlan{}, commands.ErrPlanNotFound
	}
	return plan, nil
}

func (saleCatalog) Coupon(context.Context, int64, string) (commands.SaleCoupon, error) {
	return commands.SaleCoupon{}, commands.ErrCouponNotFound
}

func (saleCatalog) Taxes(context.Context, int64, string, string) (commands.SiteTaxes, error) {
	return commands.SiteTaxes{}, nil
}

func (saleCatalog) Account(context.Context, int64) (commands.AccountPolicy, error) {
	return commands.AccountPolicy{ImmediateCancellation: true}, nil
}

// subscriptionStack wires the subscription endpoints as `pelcro serve` does, then applies adjust to the
// dependencies (a test holding a read model back) before building the router.
func subscriptionStack(t *testing.T, adjust ...func(*Dependencies)) *subscriptionWorld {
	t.Helper()
	deps, invoices := invoiceStack(t)
	runner := runProjections(t, projections.Config{Store: invoices.store, DB: invoices.db, Registry: subscription.Events},
		subscriptionprojection.Projection(), memberip.Projection(), membershipprojection.Projection())
	w := &subscriptionWorld{invoiceWorld: invoices, subscriptions: commands.Subscriptions{Store: invoices.store,
		Invoices: invoices.invoices, Wallets: deps.WalletCommands.(commands.Wallets), Gateways: invoices.intents.Gateways,
		Catalog: saleCatalog{}, Pricer: commands.Pricer{Catalog: saleCatalog{}, Store: invoices.store},
		Names: testStreamNames(t),
		IDs:   commands.NewIDAllocator(invoices.store, commands.IDKindSubscription, commands.IDAllocatorConfig{})}}
	w.runner = runner
	customers := deps.CustomerCommands.(commands.Customers) // as withCustomers: the address rules of #47
	customers.Catalog = saleCatalog{}
	customers.SubscriptionsOf = func(ctx context.Context, customerID int64) ([]int64, error) {
		return subscriptionprojection.Running(ctx, invoices.db, customerID)
	}
	deps.CustomerCommands = customers
	deps.SubscriptionCommands, deps.SubscriptionChanges = w.subscriptions, w.subscriptions
	deps.InvoiceCommands = commands.InvoicePayments{Subscriptions: w.subscriptions}         // as withPayments
	deps.WaitForSubscriptions = func(ctx context.Context, written commands.Written) error { // as withSubscriptions
		return runner.WaitFor(ctx, written.LogPosition(), subscriptionprojection.Name)
	}
	deps.MemberIPs = queries.MemberIPs{DB: invoices.db}
	deps.MembershipCommands, deps.MembershipQueries = w.subscriptions, queries.Customers{DB: invoices.db}
	deps.WaitForMemberships = func(ctx context.Context, written commands.Written) error {
		return runner.WaitFor(ctx, written.LogPosition(), membershipprojection.Name)
	}
	for _, change := range adjust {
		change(&deps)
	}
	invoices.router = newTestRouter(t, deps)
	return w
}

// waitForMemberIPs waits until member_ip_ranges.v1 reflects the whole log: no answer waits for it (a
// reader on a network learns of a membership when the projection does, as in `pelcro serve`).
func (w *subscriptionWorld) waitForMemberIPs(t *testing.T) {
	t.Helper()
	if err := w.runner.WaitFor(t.Context(), mustHead(t, w.store), memberip.Name); err != nil {
		t.Fatalf("member ip ranges: %v", err)
	}
}

// post sends POST path on the news site with the token, body and, when not empty, an Idempotency-Key.
func (w *subscriptionWorld) post(path, token, body, key string) *httptest.ResponseRecorder {
	req := w.request(http.MethodPost, fmt.Sprintf("%s?site_id=%d", path, customerSite), token, body)
	if key != "" {
		req = withKey(req, key)
	}
	return serve(w.router, req)
}

// subscribed is the part of a subscription answer the tests look at.
type subscribed struct {
	Data struct {
		ID                   int64                   `json:"id"`
		AuthToken            string                  `json:"auth_token"`
		Subscriptions        []queries.Subscription  `json:"subscriptions"`
		ExpiredSubscriptions []queries.Subscription  `json:"expired_subscriptions"`
		GiftRecipients       []queries.GiftRecipient `json:"gift_recipients"`
		Invoices             []queries.Invoice       `json:"invoices"`
		Source               *queries.PaymentMethod  `json:"source"`
		queries.CustomerAccount
	} `json:"data"`
	Meta *struct {
		PaymentIntent *payments.Intent `json:"payment_intent"`
		SetupIntent   *payments.Intent `json:"setup_intent"`
	} `json:"meta"`
}

// subscribe subscribes the customer of token to plan 4051 with tok_visa over HTTP and returns the answer.
func (w *subscriptionWorld) subscribe(t *testing.T, token string) subscribed {
	t.Helper()
	rec := w.post("/subscription", token, `{"plan_id":4051,"gateway_token":"tok_visa"}`, "")
	if rec.Code != http.StatusOK {
		t.Fatalf("subscribe: %d %s", rec.Code, rec.Body)
	}
	return decodeBody[subscribed](t, rec)
}
