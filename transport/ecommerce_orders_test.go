package transport

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/order"
	"github.com/pelcro-oss/pelcro-api/aggregates/stock"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/projections"
	orderprojection "github.com/pelcro-oss/pelcro-api/projections/order"
)

// shopCatalog is the order tests' catalog with a shop on the customer site: a tote (2500 usd, 2 in stock,
// shipped to the US and Canada), an issue (1500 usd, unlimited) and a mug in euros.
// Every site sells but closedShopSite.
type shopCatalog struct{ orderCatalog }

func (shopCatalog) SellsProducts(_ context.Context, siteID int64) (bool, error) {
	return siteID != closedShopSite, nil
}

func (shopCatalog) SKU(_ context.Context, siteID, skuID int64) (commands.SaleSKU, error) {
	skus := map[int64]commands.SaleSKU{
		9001: {ID: 9001, ProductID: 301, SiteID: customerSite, Name: "Tote bag", Price: 2500, Currency: "usd",
			Stock: stock.Level{Inventory: 2}, Shippable: true, Countries: []string{"US", "CA"}},
		9101: {ID: 9101, ProductID: 302, SiteID: customerSite, Name: "2025 issues", Price: 1500, Currency: "usd",
			Stock: stock.Level{Unlimited: true}},
		9201: {ID: 9201, ProductID: 303, SiteID: customerSite, Name: "Mug", Price: 1800, Currency: "eur"},
	}
	if sku, ok := skus[skuID]; ok && siteID == customerSite {
		return sku, nil
	}
	return commands.SaleSKU{}, commands.ErrSKUNotFound
}

func TestOrderSummaryAndOrderAnswerAsDocumented(t *testing.T) {
	t.Parallel()
	// given the invoice stack selling the shop, and ann with an address in New York
	deps, w := invoiceStack(t)
	deps.OrderCommands = commands.Orders{Store: w.store, Invoices: w.invoices, Catalog: shopCatalog{},
		Pricer: commands.Pricer{Catalog: shopCatalog{}, Store: w.store}, Names: testStreamNames(t),
		IDs: commands.NewIDAllocator(w.store, commands.IDKindOrder, commands.IDAllocatorConfig{})}
	w.router = newTestRouter(t, deps)
	ann, _ := w.register(t, "ann@shop.example.com", customerPassword)
	newYork := addOrderAddress(t, w.customerWorld, ann, `{"line1":"1 Main St","country":"US","state":"NY","is_default":true}`)
	checker := documentChecker(t)
	post := func(path, body, key string) (*http.Request, int, string) {
		req := w.request(http.MethodPost, fmt.Sprintf("%s?site_id=%d", path, customerSite), ann, body)
		if key != "" {
			req = withKey(req, key)
		}
		rec := serve(w.router, req)
		checker.CheckResponse(t, req, rec)
		return req, rec.Code, rec.Body.String()
	}

	// when she prices a tote and an issue: 4000, taxed 2 % and 8.875 % in New York
	_, status, body := post("/ecommerce/order-summary", fmt.Sprintf(
		`{"items":[{"sku_id":9001,"quantity":1},{"sku_id":9101,"quantity":1}],"address_id":%d}`, newYork), "")
	// then the summary has both lines, the taxes and the total, and nothing was sold
	if status != http.StatusOK || !contains(body, `"total":4435`, `"subtotal":4000`, `"tax":435`, `"sku_id":9101`) {
		t.Fatalf("summary = %d %s", status, body)
	}

	// when she orders two totes with a card, twice with the same Idempotency-Key
	buy := fmt.Sprintf(`{"items":[{"sku_id":9001,"quantity":2}],"gateway_token":"tok_visa","address_id":%d}`, newYork)
	_, status, first := post("/ecommerce/order", buy, "order-1")
	_, againStatus, again := post("/ecommerce/order", buy, "order-1")
	// then one order is paid and answered twice, byte for byte
	if status != http.StatusOK || !contains(first, `"status":"paid"`, `"total":5544`, `"currency":"usd"`) ||
		againStatus != status || again != first {
		t.Fatalf("order = %d %s, again %d %s", status, first, againStatus, again)
	}

	// and, once orders.v1 has it, her Customer resource lists the order
	runProjections(t, projections.Config{Store: w.store, DB: w.db, Registry: order.Events}, orderprojection.Projection())
	deadline := time.Now().Add(20 * time.Second)
	for {
		_, status, customer := post("/customer", `{}`, "")
		if status == http.StatusOK && contains(customer, `"orders":[{"id":`, `"status":"paid"`, `"total":5544`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the customer never listed the order: %d %s", status, customer)
		}
		time.Sleep(50 * time.Millisecond)
	}

	// when she prices and buys an issue shipped to Quebec, whose 14.975 % is inside the price
	quebec := addOrderAddress(t, w.customerWorld, ann, `{"line1":"2 Rue Ste","country":"CA","state":"QC"}`)
	issueToQuebec := fmt.Sprintf(`{"items":[{"sku_id":9101,"quantity":1}],"gateway_token":"tok_visa","address_id":%d}`,
		quebec)
	const inclusive = `"tax":195,"inclusive_tax":195` // 1500 × 14.975 / 114.975, not added to the total
	_, status, body = post("/ecommerce/order-summary", issueToQuebec, "")
	_, orderStatus, placed := post("/ecommerce/order", issueToQuebec, "order-quebec")
	// then the summary, the order and, once projected, the order and its invoice in her Customer resource
	// count that tax in tax and say it is inclusive and whose it is, the totals unchanged
	if status != http.StatusOK ||
		!contains(body, `"subtotal":1500`, inclusive, `"taxes":[{"name":"GST+QST","country":"CA","state":"QC","rate":14.975`, `"total":1500`) {
		t.Fatalf("summary in Quebec = %d %s", status, body)
	}
	if orderStatus != http.StatusOK || !contains(placed, `"status":"paid"`, inclusive+`,"total":1500`) {
		t.Fatalf("order in Quebec = %d %s", orderStatus, placed)
	}
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		_, status, customer := post("/customer", `{}`, "")
		if status == http.StatusOK && contains(customer, `"shipping":0,"discount":0,`+inclusive+`,"total":1500`,
			`"subtotal":1500,`+inclusive+`,"discount":0,"total":1500,"amount_paid":1500`) {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("the customer never showed the Quebec order and invoice's taxes: %d %s", status, customer)
		}
	}

	refusals := []struct {
		name, path, body string
		status           int
		message          string
	}{
		{"the totes are gone", "/ecommerce/order", fmt.Sprintf(
			`{"items":[{"sku_id":9001,"quantity":1}],"gateway_token":"tok_visa","address_id":%d}`, newYork),
			400, "Sorry, this item is out of stock."},
		{"a tote without an address", "/ecommerce/order-summary", `{"items":[{"sku_id":9001,"quantity":1}]}`,
			400, "An address is required for this order."},
		{"a declined card", "/ecommerce/order", `{"items":[{"sku_id":9101,"quantity":1}],"gateway_token":"tok_chargeDeclined"}`,
			404, "Your card was declined."},
		{"no way to pay", "/ecommerce/order", `{"items":[{"sku_id":9101,"quantity":1}]}`, 400,
			"A payment method is required."},
		{"an unknown SKU", "/ecommerce/order-summary", `{"items":[{"sku_id":1,"quantity":1}]}`, 404, "Invalid SKU provided."},
		{"two currencies", "/ecommerce/order-summary", `{"items":[{"sku_id":9101,"quantity":1},{"sku_id":9201,"quantity":1}]}`,
			400, "All items must share one currency."},
		{"an invalid coupon", "/ecommerce/order-summary", `{"items":[{"sku_id":9101,"quantity":1}],"coupon_code":"NOPE"}`,
			400, "Invalid coupon provided"},
		{"a coupon code as a number, looked up as its text", "/ecommerce/order-summary",
			`{"items":[{"sku_id":9101,"quantity":1}],"coupon_code":123}`, 400, "Invalid coupon provided"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			req := w.request(http.MethodPost, fmt.Sprintf("%s?site_id=%d", tt.path, customerSite), ann, tt.body)
			rec := serve(w.router, req)
			checker.CheckResponse(t, req, rec)
			assertError(t, rec, tt.status, tt.message)
		})
	}

	const (
		itemInvalid   = "Each item needs an integer sku_id and a quantity from 1 to 10000."
		couponText    = "The coupon code must be a string."
		campaignKey   = "The campaign key must be 3 to 191 letters, digits, dashes or underscores."
		tooManyItems  = "An order may list at most 100 items."
		issue         = `{"sku_id":9101,"quantity":1}`
		pay           = `"gateway_token":"tok_visa"`
		fiveAndSixK   = `{"items":[{"sku_id":9101,"quantity":5000},{"sku_id":9101,"quantity":6000}]`
		summaryPath   = "/ecommerce/order-summary"
		orderPath     = "/ecommerce/order"
		issueAndToken = `{"items":[` + issue + `],` + pay
	)
	fieldRefusals := []struct{ name, path, body, field, message string }{
		{"lines of one SKU adding up past the limit, priced", summaryPath, fiveAndSixK + `}`, "items", itemInvalid},
		{"lines of one SKU adding up past the limit, ordered", orderPath, fiveAndSixK + `,` + pay + `}`, "items",
			itemInvalid},
		{"the second item's quantity past the limit, priced", summaryPath,
			`{"items":[` + issue + `,{"sku_id":9101,"quantity":10001}]}`, "items.1.quantity",
			"The item's quantity must be between 1 and 10000."},
		{"the first item without sku_id, ordered", orderPath, `{"items":[{"quantity":1}],` + pay + `}`, "items.0.sku_id",
			"The item SKU id field is required."},
		{"an item's sku_id as a word, ordered", orderPath, `{"items":[` + issue + `,{"sku_id":"x","quantity":1}],` + pay + `}`,
			"items.1.sku_id", "The item's SKU id must be an integer."},
		{"a coupon code as a boolean, priced", summaryPath, `{"items":[` + issue + `],"coupon_code":false}`, "coupon_code",
			couponText},
		{"a coupon code as an object, ordered", orderPath, issueAndToken + `,"coupon_code":{"code":"X"}}`, "coupon_code",
			couponText},
		{"a campaign key with a space", orderPath, issueAndToken + `,"campaign_key":"bad key!"}`, "campaign_key",
			campaignKey},
		{"101 items, priced", summaryPath, `{"items":[` + strings.Repeat(issue+`,`, 100) + issue + `]}`, "items",
			tooManyItems},
		{"101 items, ordered", orderPath, `{"items":[` + strings.Repeat(issue+`,`, 100) + issue + `],` + pay + `}`,
			"items", tooManyItems},
		{"a campaign key as a boolean", orderPath, issueAndToken + `,"campaign_key":true}`, "campaign_key",
			"The campaign key must be a string."},
		{"a payment gateway as a boolean", orderPath, issueAndToken + `,"payment_gateway":true}`, "payment_gateway",
			"The payment gateway must be a string."},
		{"a campaign key too short", orderPath, issueAndToken + `,"campaign_key":"x"}`, "campaign_key", campaignKey},
		{"a campaign key too long", orderPath, issueAndToken + `,"campaign_key":"` + strings.Repeat("k", 300) + `"}`,
			"campaign_key", campaignKey},
	}
	for _, tt := range fieldRefusals {
		t.Run(tt.name, func(t *testing.T) {
			// when the cart breaks a field's rule, then 400 with that field's message alone, and nothing is sold
			_, status, answer := post(tt.path, tt.body, "")
			want := fmt.Sprintf(`{"errors":{%q:[%q]}}`, tt.field, tt.message)
			if status != http.StatusBadRequest || strings.TrimSpace(answer) != want {
				t.Fatalf("%s = %d %s, want 400 %s", tt.body, status, answer, want)
			}
		})
	}

	malformed := []string{`{}`, `{"items":[]}`, `{"items":[{"sku_id":9101}]}`, `{"items":[{"sku_id":9101,"quantity":0}]}`,
		`{"items":[{"sku_id":"x","quantity":1}]}`, `{"items":{"sku_id":1}}`, `{"items":[{"sku_id":9101,"quantity":10001}]}`,
		`{"items":[{"sku_id":9101,"quantity":1}],"address_id":"x"}`, `{"items":[{"sku_id":9101,"quantity":1}],"coupon_code":[1]}`}
	for _, body := range malformed {
		t.Run("malformed "+body, func(t *testing.T) {
			// when the body is out of shape; then it is a 400 with field errors
			if _, status, answer := post("/ecommerce/order-summary", body, ""); status != http.StatusBadRequest ||
				!contains(answer, `"errors"`) {
				t.Fatalf("%s = %d %s", body, status, answer)
			}
		})
	}
}

// contains reports whether s holds every part.
func contains(s string, parts ...string) bool {
	for _, p := range parts {
		if !strings.Contains(s, p) {
			return false
		}
	}
	return true
}

func TestASiteThatDoesNotSellRefusesCartsAndOrders(t *testing.T) {
	t.Parallel()
	// given the shop's order stack, and ann, a customer of the account
	deps, w := invoiceStack(t)
	deps.OrderCommands = commands.Orders{Store: w.store, Invoices: w.invoices, Catalog: shopCatalog{},
		Pricer: commands.Pricer{Catalog: shopCatalog{}, Store: w.store}, Names: testStreamNames(t),
		IDs: commands.NewIDAllocator(w.store, commands.IDKindOrder, commands.IDAllocatorConfig{})}
	w.router = newTestRouter(t, deps)
	ann, _ := w.register(t, "ann@closedshop.example.com", customerPassword)
	cases := []struct{ name, path, language, message string }{
		{"the summary", "/ecommerce/order-summary", "en", "This site does not sell products."},
		{"the order", "/ecommerce/order", "en", "This site does not sell products."},
		{"the order, in French", "/ecommerce/order", "fr", "Ce site ne vend pas de produits."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			// when she prices or orders an item on a site of the account whose ecommerce_enabled is off
			rec := serve(w.router, w.request(http.MethodPost, fmt.Sprintf("%s?site_id=%d&language=%s", tc.path,
				closedShopSite, tc.language), ann, `{"items":[{"sku_id":9101,"quantity":1}],"gateway_token":"tok_visa"}`))
			// then it is refused as a feature the site has off, and nothing is charged
			assertError(t, rec, http.StatusBadRequest, tc.message)
		})
	}
}
