package transport

import (
	"encoding/json"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/order"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/projections"
	orderprojection "github.com/pelcro-oss/pelcro-api/projections/order"
)

// placedOrder is the part of an order the times test compares: #54's data.order, or an entry of the
// Customer's orders.
type placedOrder struct {
	ID        int64  `json:"id"`
	Status    string `json:"status"`
	CreatedAt int64  `json:"created_at"`
	PayBy     *int64 `json:"pay_by"`
}

func TestAnOrderShowsTheSameTimesInItsAnswerAndInTheCustomer(t *testing.T) {
	t.Parallel()
	// given the shop on a clock 0.7 s past each second, where rounding and truncating disagree
	deps, w := invoiceStack(t)
	deps.OrderCommands = commands.Orders{Store: w.store, Invoices: w.invoices, Catalog: shopCatalog{},
		Pricer: commands.Pricer{Catalog: shopCatalog{}, Store: w.store}, Names: testStreamNames(t),
		IDs: commands.NewIDAllocator(w.store, commands.IDKindOrder, commands.IDAllocatorConfig{}),
		Now: func() time.Time { return time.Now().Truncate(time.Second).Add(700 * time.Millisecond) }}
	w.router = newTestRouter(t, deps)
	runProjections(t, projections.Config{Store: w.store, DB: w.db, Registry: order.Events}, orderprojection.Projection())
	ann, _ := w.register(t, "ann@times.example.com", customerPassword)
	addOrderAddress(t, w.customerWorld, ann, `{"line1":"1 Main St","country":"US","state":"NY","is_default":true}`)
	post := func(path, body string) *http.Request {
		return w.request(http.MethodPost, fmt.Sprintf("%s?site_id=%d", path, customerSite), ann, body)
	}

	// when she orders an issue with a card that asks for 3-D Secure
	rec := serve(w.router, post("/ecommerce/order", `{"items":[{"sku_id":9101,"quantity":1}],
		"gateway_token":"tok_threeDSecure2Required"}`))
	var answer struct{ Data struct{ Order placedOrder } }
	if err := json.Unmarshal(rec.Body.Bytes(), &answer); err != nil || rec.Code != http.StatusOK {
		t.Fatalf("order: %d %s", rec.Code, rec.Body)
	}
	placed := answer.Data.Order
	// then it waits for its payment until pay_by
	if placed.Status != "pending" || placed.PayBy == nil || *placed.PayBy <= placed.CreatedAt {
		t.Fatalf("order = %s", rec.Body)
	}

	// and her Customer resource, once orders.v1 has it, shows the same order at the same seconds
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(50 * time.Millisecond) {
		rec := serve(w.router, post("/customer", `{}`))
		var customer struct {
			Data struct{ Orders []placedOrder }
		}
		_ = json.Unmarshal(rec.Body.Bytes(), &customer)
		if orders := customer.Data.Orders; len(orders) == 1 {
			listed := orders[0]
			if listed.ID != placed.ID || listed.CreatedAt != placed.CreatedAt || listed.PayBy == nil ||
				*listed.PayBy != *placed.PayBy {
				t.Fatalf("listed %s, answered %+v (pay_by %v)", rec.Body, placed, *placed.PayBy)
			}
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("the customer never listed the order: %d %s", rec.Code, rec.Body)
		}
	}
}
