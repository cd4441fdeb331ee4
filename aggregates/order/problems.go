package order

import (
	"strconv"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// Limits of an order's values: MaxAmount is the most one card charge takes (as an invoice's); MaxItems and
// MaxQuantity keep one order within what one invoice bills.
const (
	MaxAmount   = 99_999_999
	MaxItems    = 100
	MaxQuantity = 10_000
)

// The value rules of an order.
const (
	RuleRequired aggregates.Rule = "required" // the field must be given
	RuleCurrency aggregates.Rule = "currency" // not a lowercase three-letter ISO 4217 code
	RuleAmount   aggregates.Rule = "amount"   // negative, above MaxAmount, or not the sum of the others
	RuleQuantity aggregates.Rule = "quantity" // below 1 or above MaxQuantity
	RuleMaxItems aggregates.Rule = "max_items"
)

// Problems are the broken value rules of the placement, all at once: the text rules of every name, the
// campaign key's (as a subscription's), the limits above, and amounts that add up (Total = Subtotal +
// Shipping + Tax − Discount, Subtotal the sum of the items, holding InclusiveTax).
func (c Place) Problems() aggregates.FieldProblems {
	p := append(aggregates.TextProblems(c), aggregates.CampaignKeyProblems("campaign_key", c.CampaignKey)...)
	add := func(field string, rule aggregates.Rule, limit int) {
		p = append(p, aggregates.FieldProblem{Field: field, Rule: rule, Max: limit})
	}
	for _, id := range []struct {
		field string
		value int64
	}{{"order_id", c.OrderID}, {"customer_id", c.CustomerID}, {"account_id", c.AccountID}, {"site_id", c.SiteID},
		{"invoice_id", c.InvoiceID}} {
		if id.value < 1 {
			add(id.field, RuleRequired, 0)
		}
	}
	if len(c.Currency) != 3 || c.Currency[0] < 'a' || c.Currency[0] > 'z' || c.Currency[1] < 'a' ||
		c.Currency[1] > 'z' || c.Currency[2] < 'a' || c.Currency[2] > 'z' {
		add("currency", RuleCurrency, 0)
	}
	switch {
	case len(c.Items) == 0:
		add("items", RuleRequired, 0)
	case len(c.Items) > MaxItems:
		add("items", RuleMaxItems, MaxItems)
	}
	var subtotal int64
	for i, item := range c.Items {
		field := "items[" + strconv.Itoa(i) + "]"
		if item.SKUID < 1 {
			add(field+".sku_id", RuleRequired, 0)
		}
		if item.Quantity < 1 || item.Quantity > MaxQuantity {
			add(field+".quantity", RuleQuantity, MaxQuantity)
		}
		if item.UnitAmount < 0 || item.UnitAmount > MaxAmount {
			add(field+".unit_amount", RuleAmount, MaxAmount)
		}
		subtotal += item.Amount()
	}
	a := c.Amounts
	for _, v := range []int64{a.Subtotal, a.Shipping, a.Tax, a.InclusiveTax, a.Discount, a.Total} {
		if v < 0 || v > MaxAmount {
			add("amounts", RuleAmount, MaxAmount)
			return p
		}
	}
	if len(p) == 0 && (a.Subtotal != subtotal || a.Total != a.Subtotal+a.Shipping+a.Tax-a.Discount ||
		a.InclusiveTax > a.Subtotal) {
		add("amounts", RuleAmount, MaxAmount)
	}
	return p
}
