package transport

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/pricing"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/catalogtest"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// orderCatalog is the commerce catalog of the order tests, on catalogtest's news site: the paid plan
// (500 usd a year, sold with an address in the US or Canada) and the retired one, a 20 % coupon for the
// paid plan and an amount-off coupon in another currency, and taxes on (New York: 2 % federal and 8.875 %
// state, exclusive; Quebec 14.975 %, inclusive).
type orderCatalog struct{}

func (orderCatalog) Plan(_ context.Context, siteID, planID int64) (commands.SalePlan, error) {
	terms := subscription.Terms{PlanID: planID, ProductID: catalogtest.ProductID, Amount: 500, Currency: "usd",
		Interval: "year", IntervalCount: 1, AutoRenew: true}
	plan := commands.SalePlan{Terms: terms, SiteID: siteID, AccountID: 1, AddressRequired: true,
		Countries: []string{"US", "CA"}}
	switch {
	case siteID != catalogtest.SiteID:
		return commands.SalePlan{}, commands.ErrPlanNotFound
	case planID == catalogtest.PaidPlanID:
		plan.Active = true
		return plan, nil
	case planID == catalogtest.RetiredPlanID:
		return plan, nil
	}
	return commands.SalePlan{}, commands.ErrPlanNotFound
}

func (orderCatalog) Coupon(_ context.Context, _ int64, code string) (commands.SaleCoupon, error) {
	switch code {
	case "STUDENT20":
		return commands.SaleCoupon{Coupon: subscription.Coupon{ID: 77, Code: code, PercentOff: 20_000,
			Duration: subscription.DurationOnce}, PlanIDs: []int64{catalogtest.PaidPlanID}}, nil
	case "EURO5":
		return commands.SaleCoupon{Coupon: subscription.Coupon{ID: 78, Code: code, AmountOff: 500,
			Duration: subscription.DurationForever}, Currency: "eur"}, nil
	}
	return commands.SaleCoupon{}, commands.ErrCouponNotFound
}

func (orderCatalog) Taxes(_ context.Context, _ int64, country, state string) (commands.SiteTaxes, error) {
	taxes := commands.SiteTaxes{Enabled: true}
	switch {
	case country == "US" && state == "NY":
		taxes.Rates = []pricing.TaxRate{{Name: "Federal", Jurisdiction: pricing.Jurisdiction{Country: "US"}, Rate: 2_000},
			{Name: "NY sales tax", Jurisdiction: pricing.Jurisdiction{Country: "US", State: "NY"}, Rate: 8_875}}
	case country == "CA" && state == "QC":
		taxes.Rates = []pricing.TaxRate{{Name: "GST+QST", Jurisdiction: pricing.Jurisdiction{Country: "CA", State: "QC"},
			Rate: 14_975, Inclusive: true}}
	}
	return taxes, nil
}

func (orderCatalog) Account(context.Context, int64) (commands.AccountPolicy, error) {
	return commands.AccountPolicy{Dunning: subscription.DefaultDunning}, nil
}

// orderNow is halfway through the yearly period of the subscriptions these tests write.
var orderNow = time.Date(2026, 7, 2, 12, 0, 0, 0, time.UTC)

// givenYearlySubscription writes an active yearly subscription of the customer's to planID, billed 1000 for
// 2026, and returns its id.
func givenYearlySubscription(t *testing.T, w *customerWorld, id, customerID, planID int64) int64 {
	t.Helper()
	start := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	created := subscription.Created{SubscriptionID: id, CustomerID: customerID, AccountID: 1, SiteID: customerSite,
		Type: subscription.TypeRegular, Status: subscription.StatusActive, Quantity: 1,
		Terms: subscription.Terms{PlanID: planID, ProductID: catalogtest.ProductID, Amount: 1000, Currency: "usd",
			Interval: "year", IntervalCount: 1, AutoRenew: true},
		Billing: subscription.BillingChargeAutomatically, PeriodStart: start, PeriodEnd: start.AddDate(1, 0, 0),
		PeriodAmount: 1000, CreatedAt: start}
	_, err := commands.Handle(t.Context(), w.store, commands.SubscriptionAggregate, strconv.FormatInt(id, 10),
		commands.Envelope{CommandID: fmt.Sprint("subscription-", id)},
		func(subscription.State) ([]subscription.Event, error) { return []subscription.Event{created}, nil })
	if err != nil {
		t.Fatal(err)
	}
	return id
}

// addOrderAddress adds an address through POST /address and returns its id.
func addOrderAddress(t *testing.T, w *customerWorld, token, body string) int64 {
	t.Helper()
	rec := w.call(http.MethodPost, fmt.Sprintf("/address?site_id=%d", customerSite), token, body)
	if rec.Code != http.StatusOK {
		t.Fatalf("add address %s: %d %s", body, rec.Code, rec.Body)
	}
	return addedAddressID(t, decodeBody[map[string]any](t, rec))
}

func TestOrderPreviewAnswersEachPriceAndRefusal(t *testing.T) {
	t.Parallel()
	// given the customer stack with the order catalog; ann with addresses in New York (her default), Quebec
	// and France and a yearly subscription, bob with an address and a subscription of his own, carol with
	// no address
	deps, w := customerStack(t)
	deps.PricePreviews = commands.PricePreviews{Pricer: commands.Pricer{Catalog: orderCatalog{}, Store: w.store},
		Store: w.store, Now: func() time.Time { return orderNow }}
	w.router = newTestRouter(t, deps)
	ann, annID := w.register(t, "ann@orders.example.com", customerPassword)
	bob, bobID := w.register(t, "bob@orders.example.com", customerPassword)
	carol, _ := w.register(t, "carol@orders.example.com", customerPassword)
	newYork := addOrderAddress(t, w, ann, `{"line1":"1 Main St","country":"US","state":"NY","is_default":true}`)
	quebec := addOrderAddress(t, w, ann, `{"line1":"2 Rue Ste","country":"CA","state":"QC"}`)
	paris := addOrderAddress(t, w, ann, `{"line1":"3 Rue de Rivoli","country":"FR"}`)
	bobsAddress := addOrderAddress(t, w, bob, `{"line1":"4 Elm St","country":"US","state":"NY","is_default":true}`)
	annsSubscription := givenYearlySubscription(t, w, 8101, annID, 4090)
	bobsSubscription := givenYearlySubscription(t, w, 8102, bobID, 4090)
	checker := documentChecker(t)
	paid := catalogtest.PaidPlanID

	nyTaxes := func(federal, state int64) []orderTax {
		return []orderTax{{"Federal", "US", "", 2, federal, false}, {"NY sales tax", "US", "NY", 8.875, state, false}}
	}
	quebecTax := []orderTax{{"GST+QST", "CA", "QC", 14.975, 65, true}}
	prices := []struct {
		name, body string
		want       orderPreview
	}{
		{"the plan, taxed at the default shipping address", fmt.Sprintf(`{"plan_id":%d}`, paid),
			orderPreview{Currency: "usd", Subtotal: 500, Taxes: nyTaxes(10, 44), Tax: 54, Total: 554, AmountDue: 554}},
		{"a coupon, then the taxes of what is left", fmt.Sprintf(`{"plan_id":"%d","coupon_code":"STUDENT20","address_id":%d}`, paid, newYork),
			orderPreview{Currency: "usd", Subtotal: 500, Discount: 100, Taxes: nyTaxes(8, 36), Tax: 44, Total: 444, AmountDue: 444}},
		{"an inclusive tax is part of the price", fmt.Sprintf(`{"plan_id":%d,"address_id":%d,"coupon_code":null}`, paid, quebec),
			orderPreview{Currency: "usd", Subtotal: 500, Taxes: quebecTax, Tax: 65, Total: 500, AmountDue: 500}},
		// half the year left: half of the 1000 billed comes back, half of the new 500 is charged
		{"the change of her subscription", fmt.Sprintf(`{"plan_id":%d,"address_id":%d,"subscription_id":%d}`, paid, quebec, annsSubscription),
			orderPreview{Currency: "usd", Subtotal: 500, Taxes: quebecTax, Tax: 65, Total: 500, AmountDue: 500,
				Proration: &orderProration{Credit: 500, Charge: 250, Net: -250}}},
	}
	for _, tt := range prices {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// when ann asks for the price
			req := w.request(http.MethodPost, fmt.Sprintf("/order?site_id=%d", customerSite), ann, tt.body)
			rec := serve(w.router, req)
			checker.CheckResponse(t, req, rec)
			// then she sees it in the preview's envelope, with the plan embedded
			if rec.Code != http.StatusOK {
				t.Fatalf("POST /order = %d %s", rec.Code, rec.Body)
			}
			body := decodeBody[struct {
				Error *bool        `json:"error"`
				Data  orderPreview `json:"data"`
			}](t, rec)
			want, got := tt.want, body.Data
			if got.Plan.ID != paid {
				t.Fatalf("answer %s\nwant plan %d embedded", rec.Body, paid)
			}
			if (got.Proration == nil) != (want.Proration == nil) || (got.Proration != nil && *got.Proration != *want.Proration) {
				t.Fatalf("answer %s\nwant proration %+v", rec.Body, want.Proration)
			}
			got.Plan, got.Proration, want.Proration = queries.Plan{}, nil, nil
			if body.Error == nil || *body.Error || fmt.Sprint(got) != fmt.Sprint(want) {
				t.Fatalf("answer %s\nwant data %+v", rec.Body, want)
			}
		})
	}

	refusals := []struct {
		name, token, body, language string
		status                      int
		message                     string
	}{
		{"no token", "", fmt.Sprintf(`{"plan_id":%d}`, paid), "en", 401, "Token not provided"},
		{"an unknown plan", ann, `{"plan_id":999}`, "en", 404, "Invalid plan provided"},
		{"a plan no longer on sale", ann, fmt.Sprintf(`{"plan_id":%d}`, catalogtest.RetiredPlanID), "en", 404, "Invalid plan provided"},
		{"an unknown coupon, worded as subscribing words it", ann, fmt.Sprintf(`{"plan_id":%d,"coupon_code":"NOPE"}`, paid),
			"en", 404, "Invalid coupon provided"},
		{"an unknown coupon, in French", ann, fmt.Sprintf(`{"plan_id":%d,"coupon_code":"NOPE"}`, paid), "fr", 404,
			"Coupon fourni non valide"},
		{"a coupon in another currency", ann, fmt.Sprintf(`{"plan_id":%d,"coupon_code":"EURO5"}`, paid), "en", 404,
			"This coupon is not valid for this plan"},
		{"no address at all", carol, fmt.Sprintf(`{"plan_id":%d}`, paid), "en", 404, "An address is required for this plan."},
		{"an address where the plan is not sold", ann, fmt.Sprintf(`{"plan_id":%d,"address_id":%d}`, paid, paris), "en", 404,
			"This product is not available in your area"},
		{"another customer's address", ann, fmt.Sprintf(`{"plan_id":%d,"address_id":%d}`, paid, bobsAddress), "en", 404, "Address not found."},
		{"an address id nobody has", ann, fmt.Sprintf(`{"plan_id":%d,"address_id":0}`, paid), "en", 404, "Address not found."},
		{"another customer's subscription", ann, fmt.Sprintf(`{"plan_id":%d,"subscription_id":%d}`, paid, bobsSubscription), "en", 404,
			"Invalid subscription provided"},
		{"an unknown subscription", ann, fmt.Sprintf(`{"plan_id":%d,"subscription_id":"99999"}`, paid), "de", 404, "Ungültiges Abonnement angegeben"},
	}
	for _, tt := range refusals {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// when the price is asked for; then the refusal says why, in the request's language
			req := w.request(http.MethodPost, fmt.Sprintf("/order?site_id=%d&language=%s", customerSite, tt.language), tt.token, tt.body)
			rec := serve(w.router, req)
			checker.CheckResponse(t, req, rec)
			assertError(t, rec, tt.status, tt.message)
		})
	}

	t.Run("malformed input names each field", func(t *testing.T) {
		t.Parallel()
		// when every field is malformed
		req := w.request(http.MethodPost, fmt.Sprintf("/order?site_id=%d", customerSite), ann,
			`{"plan_id":"ten","coupon_code":{"a":1},"address_id":"x","subscription_id":[1]}`)
		rec := serve(w.router, req)
		checker.CheckResponse(t, req, rec)
		// then the answer is 400 with one message per field
		want := map[string][]string{"plan_id": {"The plan id must be an integer."},
			"coupon_code": {"The coupon code must be a string."}, "address_id": {"The address id must be an integer."},
			"subscription_id": {"The subscription id must be an integer."}}
		body := decodeBody[struct {
			Errors map[string][]string `json:"errors"`
		}](t, rec)
		if rec.Code != http.StatusBadRequest || fmt.Sprint(body.Errors) != fmt.Sprint(want) {
			t.Fatalf("POST /order = %d %s, want 400 %v", rec.Code, rec.Body, want)
		}
		// and without plan_id it is required, while a list or a boolean where text goes are of the wrong kind (a
		// number is its text)
		for body, want := range map[string]string{
			`{}`:                                  "map[plan_id:[Plan ID is required]]",
			`{"plan_id":[4051]}`:                  "map[plan_id:[The plan id must be an integer.]]",
			`{"plan_id":4051,"coupon_code":true}`: "map[coupon_code:[The coupon code must be a string.]]",
		} {
			rec = serve(w.router, w.request(http.MethodPost, fmt.Sprintf("/order?site_id=%d", customerSite), ann, body))
			if got := decodeBody[struct {
				Errors map[string][]string `json:"errors"`
			}](t, rec); rec.Code != http.StatusBadRequest || fmt.Sprint(got.Errors) != want {
				t.Errorf("POST /order %s = %d %s, want 400 %s", body, rec.Code, rec.Body, want)
			}
		}
	})
}
