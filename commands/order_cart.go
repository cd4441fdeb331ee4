package commands

import (
	"cmp"
	"context"
	"errors"
	"slices"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/order"
	"github.com/pelcro-oss/pelcro-api/aggregates/pricing"
	"github.com/pelcro-oss/pelcro-api/aggregates/stock"
)

// Refusals of pricing a cart (#53, #54; rule 27). Transport words each one (docs/ecommerce.md).
var (
	// ErrSKUNotFound: no such SKU on the site (or one restricted to segments the customer is not in).
	ErrSKUNotFound = errors.New("commands: no such SKU on this site")
	// ErrMixedCurrencies: the cart's SKUs are priced in more than one currency.
	ErrMixedCurrencies = errors.New("commands: all items must share one currency")
	// ErrOutOfStock: a SKU has fewer units left than the cart asks for.
	ErrOutOfStock = errors.New("commands: not enough units left in stock")
	// ErrShopClosed: the site does not sell products (its ecommerce_enabled is off), whoever asks.
	ErrShopClosed = errors.New("commands: this site does not sell products")
)

// tooManyUnits refuses a cart whose lines of one SKU add up past what one line may ask for.
var tooManyUnits = aggregates.FieldProblems{{Field: "items", Rule: order.RuleQuantity, Max: order.MaxQuantity}}

// OrderCatalog is what the order commands read of the catalog: the commerce catalog's coupons and taxes,
// whether the site sells, and the site's SKUs.
type OrderCatalog interface {
	CommerceCatalog
	// SellsProducts reports whether the site sells products (its ecommerce_enabled); an unknown site does not.
	SellsProducts(ctx context.Context, siteID int64) (bool, error)
	// SKU is a SKU of the site, or ErrSKUNotFound.
	SKU(ctx context.Context, siteID, skuID int64) (SaleSKU, error)
}

// SaleSKU is a SKU as a sale needs it: its price, its stock level and its product's rules.
type SaleSKU struct {
	ID        int64
	ProductID int64
	SiteID    int64
	Name      string
	Price     int64
	Currency  string
	Stock     stock.Level
	// Shippable and Countries are its product's: a shippable product needs an address, and is sold only in
	// Countries (empty: everywhere).
	Shippable  bool
	Countries  []string
	SegmentIDs []int64
}

// CartItem is one line of a cart: Quantity (≥ 1) units of a SKU.
type CartItem struct {
	SKUID    int64
	Quantity int64
}

// Cart is what #53 prices and #54 buys for the customer of Target: the items, an optional coupon code and
// address (0: none given).
type Cart struct {
	Target
	Items      []CartItem
	CouponCode string
	AddressID  int64
}

// CartQuote is a priced cart: its SKUs, one line per SKU (quantities of the same SKU added up), the
// address taxes were computed for (0: none) and the quote. Shipping is always zero: the catalog holds no
// shipping rates.
type CartQuote struct {
	Currency  string
	SKUs      []SaleSKU
	Items     []order.Item
	Coupon    *SaleCoupon
	AddressID int64
	Quote     pricing.Quote
}

// Amounts are the quote as an order stores it: the taxes added to the prices apart from those they hold.
func (q CartQuote) Amounts() order.Amounts {
	inclusive := q.Quote.InclusiveTax()
	return order.Amounts{Subtotal: q.Quote.Subtotal, Tax: q.Quote.Tax - inclusive, InclusiveTax: inclusive,
		Discount: q.Quote.Discount, Total: q.Quote.Total}
}

// Summary prices the cart for the customer (#53): nothing is written. Refusals: ErrShopClosed (checked
// first: every caller of Summary and Place is refused on a site that does not sell), ErrSKUNotFound (unknown,
// or the segment rule's), ErrMixedCurrencies, ErrCouponNotFound, ErrCouponNotForPlan (a coupon limited to
// plans, or an amount off in another currency), ErrAddressRequired, ErrAddressNotFound,
// ErrNotAvailableInArea, customer.ErrNotRegistered, and aggregates.FieldProblems on "items" when lines of
// one SKU add up to more than order.MaxQuantity (a line of that many would be refused too).
func (c Orders) Summary(ctx context.Context, cart Cart) (CartQuote, error) {
	if open, err := c.Catalog.SellsProducts(ctx, cart.SiteID); err != nil || !open {
		return CartQuote{}, cmp.Or(err, ErrShopClosed)
	}
	var q CartQuote
	for _, item := range cart.Items {
		i := slices.IndexFunc(q.Items, func(it order.Item) bool { return it.SKUID == item.SKUID })
		if i >= 0 {
			if q.Items[i].Quantity += item.Quantity; q.Items[i].Quantity > order.MaxQuantity {
				return CartQuote{}, tooManyUnits
			}
			continue
		}
		sku, err := c.Catalog.SKU(ctx, cart.SiteID, item.SKUID)
		if err == nil && c.Segments != nil {
			err = c.Segments(ctx, cart.Target, sku)
		}
		if err != nil {
			return CartQuote{}, err
		}
		if q.Currency != "" && sku.Currency != q.Currency {
			return CartQuote{}, ErrMixedCurrencies
		}
		q.Currency = sku.Currency
		q.SKUs = append(q.SKUs, sku)
		q.Items = append(q.Items, order.Item{SKUID: sku.ID, EcommerceProductID: sku.ProductID, Name: sku.Name,
			Quantity: item.Quantity, UnitAmount: sku.Price, Unlimited: sku.Stock.Unlimited})
	}
	var discount pricing.Discount
	if cart.CouponCode != "" {
		coupon, err := c.Catalog.Coupon(ctx, cart.SiteID, cart.CouponCode)
		if err != nil {
			return CartQuote{}, err
		}
		if len(coupon.PlanIDs) > 0 || (coupon.Currency != "" && coupon.Currency != q.Currency) {
			return CartQuote{}, ErrCouponNotForPlan
		}
		q.Coupon, discount = &coupon, coupon.Coupon.Discount()
	}
	rates, address, err := c.Pricer.taxes(ctx, cart.Target, cart.AddressID, q.salePlan(cart.SiteID), defaultForTaxesOnly)
	if err != nil {
		return CartQuote{}, err
	}
	lines := make([]pricing.Line, len(q.Items))
	for i, item := range q.Items {
		lines[i] = pricing.Line{UnitAmount: item.UnitAmount, Quantity: item.Quantity}
	}
	q.AddressID, q.Quote = address.ID, pricing.Price(pricing.Bill{Lines: lines, Discount: discount, Taxes: rates})
	return q, nil
}

// salePlan states the cart's address rules as the Pricer reads a plan's: an address is required when an
// item ships, and the cart is sold only where every item's product is.
func (q CartQuote) salePlan(siteID int64) SalePlan {
	plan := SalePlan{SiteID: siteID}
	for _, sku := range q.SKUs {
		plan.AddressRequired = plan.AddressRequired || sku.Shippable
		if len(sku.Countries) == 0 {
			continue
		}
		if plan.Countries == nil {
			plan.Countries = slices.Clone(sku.Countries)
			continue
		}
		plan.Countries = slices.DeleteFunc(plan.Countries, func(c string) bool { return !slices.Contains(sku.Countries, c) })
		if len(plan.Countries) == 0 {
			plan.Countries = []string{"--"} // no country sells every item: every address is outside the area
		}
	}
	return plan
}
