package transport

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/pricing"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// PricePreviewer prices a plan for the caller (commands.PricePreviews).
type PricePreviewer interface {
	Preview(ctx context.Context, r commands.PreviewRequest) (commands.Preview, error)
}

// orderHandlers serve the subscription price preview, POST /order (#32, docs/pricing.md). It writes
// nothing, so it waits for no read model; it depends on the caller's token, so no cache keeps it.
type orderHandlers struct {
	previews PricePreviewer
	catalog  CatalogQueries
	log      *slog.Logger
}

// orderBody is the preview's envelope, one of the spec's odd ones (1.6): {"error": false, "data": …}.
type orderBody struct {
	Error bool         `json:"error"`
	Data  orderPreview `json:"data"`
}

// orderPreview is what the plan costs, in minor units of Currency. Total is after discount with the
// exclusive taxes; Balance the credit that pays part of it; AmountDue what is left to pay.
type orderPreview struct {
	Plan      queries.Plan    `json:"plan"`
	Currency  string          `json:"currency"`
	Subtotal  int64           `json:"subtotal"`
	Discount  int64           `json:"discount"`
	Taxes     []orderTax      `json:"taxes"`
	Tax       int64           `json:"tax"`
	Total     int64           `json:"total"`
	Balance   int64           `json:"balance"`
	AmountDue int64           `json:"amount_due"`
	Proration *orderProration `json:"proration,omitempty"`
}

// orderTax is one jurisdiction's tax, as the price preview and the order summary show it: Country, and State
// when the rate is a state's; Rate is a percentage (14.975), Amount in minor units. An inclusive tax is part
// of the price, not added to the total.
type orderTax struct {
	Name      string  `json:"name"`
	Country   string  `json:"country"`
	State     string  `json:"state,omitempty"`
	Rate      float64 `json:"rate"`
	Amount    int64   `json:"amount"`
	Inclusive bool    `json:"inclusive"`
}

// taxLines are a quote's taxes as the answers show them, in the quote's order (the country's, then the
// state's).
func taxLines(taxes []pricing.Tax) []orderTax {
	lines := make([]orderTax, len(taxes))
	for i, t := range taxes {
		lines[i] = orderTax{Name: t.Name, Country: t.Country, State: t.State, Rate: t.Rate.Percent(),
			Amount: t.Amount, Inclusive: t.Inclusive}
	}
	return lines
}

// orderProration is what changing the subscription to the plan now costs: Charge for the rest of the
// period, less Credit, the unused part of what the period was billed; Net = Charge − Credit (negative: a
// credit for later invoices). Of a positive Net the subscription's credit pays Balance, and AmountDue is
// what the change charges.
type orderProration struct {
	Credit    int64 `json:"credit"`
	Charge    int64 `json:"charge"`
	Net       int64 `json:"net"`
	Balance   int64 `json:"balance"`
	AmountDue int64 `json:"amount_due"`
}

// preview is POST /order: plan_id (required), coupon_code, address_id and subscription_id.
func (h orderHandlers) preview(w http.ResponseWriter, r *http.Request) {
	in, failures := previewInput(requestParams(r))
	if len(failures) > 0 {
		writeValidation(w, r, failures)
		return
	}
	in.Target = target(r)
	preview, err := h.previews.Preview(r.Context(), in)
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	plan, err := h.catalog.Plan(r.Context(), in.SiteID, in.PlanID)
	if err != nil { // the preview has just read it: only a failing database gets here
		internalError(w, r, h.log, "reading the previewed plan", err)
		return
	}
	writeJSON(w, http.StatusOK, orderBody{Data: previewBody(plan, preview)})
}

func previewBody(plan queries.Plan, preview commands.Preview) orderPreview {
	q := preview.Sale.Quote
	body := orderPreview{Plan: plan, Currency: preview.Sale.Plan.Terms.Currency, Subtotal: q.Subtotal,
		Discount: q.Discount, Taxes: taxLines(q.Taxes), Tax: q.Tax, Total: q.Total, Balance: q.Balance,
		AmountDue: q.AmountDue}
	if p, bill := preview.Proration, preview.Change; p != nil && bill != nil {
		body.Proration = &orderProration{Credit: p.Credit, Charge: p.Charge, Net: bill.Net,
			Balance: bill.CreditUsed, AmountDue: bill.Due}
	}
	return body
}

// previewInput reads the body: plan_id as GET /plan does, the optional coupon_code (a text), address_id and
// subscription_id (integers; null or "" is none). An id no address or subscription can have (≤ 0) is
// refused as an unknown one.
func previewInput(params Params) (commands.PreviewRequest, fieldErrors) {
	var in commands.PreviewRequest
	failures := fieldErrors{}
	planID, failure := planIDParam(params)
	if failure != "" {
		failures["plan_id"] = []i18n.MessageID{failure}
	}
	in.PlanID = planID
	in.CouponCode = textParam(params, "coupon_code", i18n.PricingCouponCodeText, failures)
	for _, field := range []struct {
		name    string
		into    *int64
		message i18n.MessageID
	}{
		{"address_id", &in.AddressID, i18n.PricingAddressIDInteger},
		{"subscription_id", &in.SubscriptionID, i18n.PricingSubscriptionInteger},
	} {
		id, given, err := params.Integer(field.name, false)
		if !given {
			continue
		}
		if err != nil {
			failures[field.name] = []i18n.MessageID{field.message}
		}
		if id <= 0 {
			id = -1 // 0 means "none given" to the commands; an id nobody has is refused as an unknown one
		}
		*field.into = id
	}
	return in, failures
}

// refuse answers a refusal of the preview: every business refusal is a 404 with its message (spec #32:
// an invalid plan or coupon is 404; the address rules answer as subscription create does, rule 16).
func (h orderHandlers) refuse(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, commands.ErrPlanNotFound) || errors.Is(err, commands.ErrPlanNotOnSale):
		writeError(w, r, http.StatusNotFound, i18n.SubscriptionPlanInvalid)
	case errors.Is(err, commands.ErrCouponNotFound):
		writeError(w, r, http.StatusNotFound, i18n.SubscriptionCouponInvalid)
	case errors.Is(err, commands.ErrCouponNotForPlan):
		writeError(w, r, http.StatusNotFound, i18n.SubscriptionCouponNotForPlan)
	case errors.Is(err, commands.ErrAddressRequired):
		writeError(w, r, http.StatusNotFound, i18n.SubscriptionAddressRequired)
	case errors.Is(err, commands.ErrAddressNotFound):
		writeError(w, r, http.StatusNotFound, i18n.AddressNotFound)
	case errors.Is(err, commands.ErrNotAvailableInArea):
		writeError(w, r, http.StatusNotFound, i18n.SubscriptionNotAvailableInArea)
	case errors.Is(err, subscription.ErrNotFound):
		writeError(w, r, http.StatusNotFound, i18n.SubscriptionNotFound)
	case errors.Is(err, customer.ErrNotRegistered):
		// The token's customer does not exist in this account (any more): the token is no good here.
		writeError(w, r, http.StatusUnauthorized, i18n.TokenInvalid)
	default:
		internalError(w, r, h.log, "price preview failed", err)
	}
}
