package transport

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/aggregates/stock"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/projections"
	catalogprojections "github.com/pelcro-oss/pelcro-api/projections/catalog"
	stockprojection "github.com/pelcro-oss/pelcro-api/projections/stock"
)

// listedSKU is a SKU of GET /ecommerce/products/site/{site_id} as a front end reads it.
type listedSKU struct {
	ID        int64  `json:"id"`
	Inventory *int64 `json:"inventory"`
	Available *int64 `json:"available"`
}

func TestTheProductListShowsTheUnitsOrdersCanStillTake(t *testing.T) {
	t.Parallel()
	// given the invoice stack selling shopCatalog's tote (2 units) and issue (unlimited), listed in the
	// catalog read model as the shop of the customer site, with stock_levels.v1 running
	deps, w := invoiceStack(t)
	orders := commands.Orders{Store: w.store, Invoices: w.invoices, Catalog: shopCatalog{},
		Pricer: commands.Pricer{Catalog: shopCatalog{}, Store: w.store}, Names: testStreamNames(t),
		IDs: commands.NewIDAllocator(w.store, commands.IDKindOrder, commands.IDAllocatorConfig{})}
	deps.OrderCommands = orders
	w.router = newTestRouter(t, deps)
	shop := customerCatalog()
	shop.EcommerceProducts = append(shop.EcommerceProducts, catalog.EcommerceProduct{ID: 9300, SiteID: customerSite,
		EcommerceProductAttributes: catalog.EcommerceProductAttributes{Name: "Shop", Shippable: true,
			Countries: []string{"US", "CA"}},
		SKUs: []catalog.SKU{
			{ID: 9001, SKUAttributes: catalog.SKUAttributes{Name: "Tote bag", Price: 2500, Currency: "usd", Inventory: new(int64(2))}},
			{ID: 9101, SKUAttributes: catalog.SKUAttributes{Name: "2025 issues", Price: 1500, Currency: "usd"}},
		}})
	if _, err := commands.ImportCatalog(t.Context(), w.store, shop, time.Date(2025, 3, 2, 0, 0, 0, 0, time.UTC)); err != nil {
		t.Fatalf("import the shop: %v", err)
	}
	stockLevels := runProjections(t, projections.Config{Store: w.store, DB: w.db, Registry: stock.Events},
		stockprojection.Projection())
	ann, _ := w.register(t, "ann@stock.example.com", customerPassword)
	home := addOrderAddress(t, w.customerWorld, ann, `{"line1":"1 Main St","country":"US","state":"NY","is_default":true}`)
	checker := documentChecker(t)
	order := func(token string) (int, placedOrder) {
		req := withKey(w.request(http.MethodPost, fmt.Sprintf("/ecommerce/order?site_id=%d", customerSite), ann,
			fmt.Sprintf(`{"items":[{"sku_id":9001,"quantity":2}],"gateway_token":%q,"address_id":%d}`, token, home)), "order-"+token)
		rec := serve(w.router, req)
		checker.CheckResponse(t, req, rec)
		var answer struct{ Data struct{ Order placedOrder } }
		_ = json.Unmarshal(rec.Body.Bytes(), &answer)
		return rec.Code, answer.Data.Order
	}
	// listed is the tote and the issue as the list shows them once the read models reached the log's end.
	listed := func() (tote, issue listedSKU) {
		ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
		defer cancel()
		head := mustHead(t, w.store)
		if err := stockLevels.WaitFor(ctx, head, stockprojection.Name); err != nil {
			t.Fatalf("wait for the stock levels: %v", err)
		}
		if err := w.runner.WaitFor(ctx, head, catalogprojections.Names()...); err != nil {
			t.Fatalf("wait for the catalog: %v", err)
		}
		req := w.request(http.MethodGet, fmt.Sprintf("/ecommerce/products/site/%d", customerSite), "", "")
		rec := serve(w.router, req)
		checker.CheckResponse(t, req, rec)
		var body struct {
			Data struct {
				Products []struct{ SKUs []listedSKU }
			}
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil || rec.Code != http.StatusOK {
			t.Fatalf("list: %d %s", rec.Code, rec.Body)
		}
		for _, p := range body.Data.Products {
			for _, sku := range p.SKUs {
				switch sku.ID {
				case 9001:
					tote = sku
				case 9101:
					issue = sku
				}
			}
		}
		return tote, issue
	}
	expectTotes := func(step string, available int64) {
		t.Helper()
		tote, issue := listed()
		if tote.Inventory == nil || *tote.Inventory != 2 || tote.Available == nil || *tote.Available != available {
			t.Fatalf("%s: tote %s, want inventory 2 and %d available", step, marshaled(tote), available)
		}
		if issue.ID != 9101 || issue.Inventory != nil || issue.Available != nil {
			t.Fatalf("%s: the unlimited issue reads %s, want inventory and available null", step, marshaled(issue))
		}
	}

	// then, before any order, both totes are available
	expectTotes("nothing ordered", 2)

	// when ann's order of both totes is declined, then they are back in the list
	if status, _ := order("tok_chargeDeclined"); status != http.StatusNotFound { // the card's decline
		t.Fatalf("declined order = %d", status)
	}
	expectTotes("a declined order", 2)

	// when her order of both waits for 3-D Secure, then they are held: none left
	status, pending := order("tok_threeDSecure2Required")
	if status != http.StatusOK || pending.Status != "pending" {
		t.Fatalf("3-D Secure order = %d %+v", status, pending)
	}
	expectTotes("an order waiting for its payment", 0)

	// when that order expires unpaid, then its totes are back
	if _, err := orders.ExpireDue(t.Context(), pending.ID, time.Now().Add(time.Hour)); err != nil {
		t.Fatalf("expire: %v", err)
	}
	expectTotes("an expired order", 2)

	// when she buys the last two, then the list shows the tote sold out, its inventory unchanged
	if status, paid := order("tok_visa"); status != http.StatusOK || paid.Status != "paid" {
		t.Fatalf("paid order = %d %+v", status, paid)
	}
	expectTotes("the last units sold", 0)
}

// marshaled is sku as JSON, nulls shown.
func marshaled(sku listedSKU) string {
	encoded, _ := json.Marshal(sku)
	return string(encoded)
}
