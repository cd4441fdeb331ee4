package commands

import (
	"context"
	"errors"
	"slices"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/pricing"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// Refusals of pricing a sale (#27, #30–#32; rule 16). Transport words each one (docs/pricing.md).
var (
	// ErrPlanNotOnSale: the plan exists but is retired (active: false).
	ErrPlanNotOnSale = errors.New("commands: plan not on sale")
	// ErrCouponNotForPlan: the coupon is limited to other plans, or takes an amount off in another currency.
	ErrCouponNotForPlan = errors.New("commands: coupon not valid for this plan")
	// ErrAddressRequired: the product ships, is limited to some countries, or the site charges taxes, and no
	// address_id was given nor is there a default shipping address (for a cart's shipped or country-limited
	// items, address_id itself is needed).
	ErrAddressRequired = errors.New("commands: an address is required")
	// ErrAddressNotFound: address_id is not an address of the customer's.
	ErrAddressNotFound = errors.New("commands: no such address")
	// ErrNotAvailableInArea: the address is in a country the product is not sold in.
	ErrNotAvailableInArea = errors.New("commands: not available in this area")
)

// Pricer prices sales of plans for a customer with aggregates/pricing: the catalog gives the plan, coupon
// and tax rates, the customer's own stream the address. The price preview, subscription creation, renewal
// and change all price through it, so what the preview shows is what the invoice bills.
type Pricer struct {
	Catalog CommerceCatalog
	Store   eventstore.Store
}

// SaleRequest is a plan to price for the customer of Target: Quantity (at least 1), an optional coupon code
// and address (0: none given, the default shipping address when the plan needs one).
type SaleRequest struct {
	Target
	PlanID     int64
	Quantity   int64
	CouponCode string
	AddressID  int64
}

// Sale is a priced sale: the plan, the coupon when one was given, the address taxes were computed for (0:
// none) and the quote of one period.
type Sale struct {
	Plan SalePlan
	// Quantity is the quantity the quote prices (at least 1).
	Quantity  int64
	Coupon    *SaleCoupon
	AddressID int64
	Quote     pricing.Quote
	// address is the address of AddressID as the sale read it: the subscription that takes it is attached
	// to it at this country and state (attachAddress).
	address customer.Address
}

// Price prices one period of a plan for the customer. Refusals: ErrPlanNotFound, ErrPlanNotOnSale,
// ErrCouponNotFound, ErrCouponNotForPlan, ErrAddressRequired, ErrAddressNotFound, ErrNotAvailableInArea,
// customer.ErrNotRegistered.
func (p Pricer) Price(ctx context.Context, r SaleRequest) (Sale, error) {
	plan, err := p.Plan(ctx, r)
	if err != nil {
		return Sale{}, err
	}
	return p.PricePlan(ctx, r, plan)
}

// Plan is the plan of the sale, on sale: ErrPlanNotFound, ErrPlanNotOnSale otherwise. A caller checking the
// request against the plan before the rest of the business rules prices it with PricePlan.
func (p Pricer) Plan(ctx context.Context, r SaleRequest) (SalePlan, error) {
	plan, err := p.Catalog.Plan(ctx, r.SiteID, r.PlanID)
	if err != nil {
		return SalePlan{}, err
	}
	if !plan.Active {
		return SalePlan{}, ErrPlanNotOnSale
	}
	return plan, nil
}

// PricePlan is Price for the plan Plan found for r.
func (p Pricer) PricePlan(ctx context.Context, r SaleRequest, plan SalePlan) (Sale, error) {
	sale := Sale{Plan: plan, Quantity: max(r.Quantity, 1)}
	if r.CouponCode != "" {
		coupon, err := p.Catalog.Coupon(ctx, r.SiteID, r.CouponCode)
		if err != nil {
			return Sale{}, err
		}
		if !coupon.fits(plan.Terms) {
			return Sale{}, ErrCouponNotForPlan
		}
		sale.Coupon = &coupon
	}
	taxes, address, err := p.taxes(ctx, r.Target, r.AddressID, plan, defaultForEveryNeed)
	if err != nil {
		return Sale{}, err
	}
	sale.AddressID, sale.address = address.ID, address
	var discount pricing.Discount
	if sale.Coupon != nil {
		discount = sale.Coupon.Coupon.Discount()
	}
	sale.Quote = pricing.Price(pricing.Bill{Lines: []pricing.Line{{UnitAmount: plan.Terms.Amount,
		Quantity: sale.Quantity}}, Discount: discount, Taxes: taxes})
	return sale, nil
}

// PeriodRequest is a later period of a subscription to price: the phase (terms, quantity, coupon, address
// as the subscription holds them), whether its coupon still applies, and the subscription's credit.
type PeriodRequest struct {
	Target
	Phase         subscription.Phase
	CouponApplies bool
	Credit        int64
}

// PricePeriod prices a renewal period with the terms the subscription holds, not the catalog's current
// price, and the tax rates of its address today. A Quote's Balance is the credit it uses.
func (p Pricer) PricePeriod(ctx context.Context, r PeriodRequest) (pricing.Quote, error) {
	var rates []pricing.TaxRate
	if r.Phase.AddressID != 0 {
		address, err := p.address(ctx, r.Target, r.Phase.AddressID)
		if err != nil && !errors.Is(err, ErrAddressNotFound) {
			return pricing.Quote{}, err
		}
		if err == nil {
			taxes, err := p.Catalog.Taxes(ctx, r.SiteID, address.Country, address.State)
			if err != nil {
				return pricing.Quote{}, err
			}
			if taxes.Enabled {
				rates = taxes.Rates
			}
		}
	}
	var discount pricing.Discount
	if r.CouponApplies {
		discount = r.Phase.Coupon.Discount()
	}
	return pricing.Price(pricing.Bill{Lines: []pricing.Line{{UnitAmount: r.Phase.Terms.Amount,
		Quantity: max(r.Phase.Quantity, 1)}}, Discount: discount, Taxes: rates, Balance: r.Credit}), nil
}

// defaultAddress says what the customer's default shipping address stands in for when no address_id is
// given.
type defaultAddress bool

const (
	// defaultForEveryNeed: a plan sale (docs/pricing.md). Whatever needs an address (shipping, a country
	// list, taxes) takes the default shipping address; the preview, create, renew, change and gifts agree.
	defaultForEveryNeed defaultAddress = true
	// defaultForTaxesOnly: a cart (docs/ecommerce.md), whose shippable or country-limited items need
	// address_id itself.
	defaultForTaxesOnly defaultAddress = false
)

// taxes applies the address rules of rule 16 and returns the tax rates of the address the sale is taxed
// at, with the address: the one given, or else the customer's default shipping address as fallback says
// (the zero Address: none needed).
func (p Pricer) taxes(ctx context.Context, who Target, addressID int64, plan SalePlan,
	fallback defaultAddress) ([]pricing.TaxRate, customer.Address, error) {
	var none customer.Address
	taxes, err := p.Catalog.Taxes(ctx, plan.SiteID, "", "")
	if err != nil {
		return nil, none, err
	}
	needsAddress := plan.AddressRequired || len(plan.Countries) > 0
	var address customer.Address
	switch {
	case addressID != 0:
		if address, err = p.address(ctx, who, addressID); err != nil {
			return nil, none, err
		}
	case needsAddress && fallback == defaultForTaxesOnly:
		return nil, none, ErrAddressRequired
	case needsAddress || taxes.Enabled:
		if address, err = p.defaultShippingAddress(ctx, who); err != nil {
			return nil, none, err
		}
	default:
		return nil, none, nil
	}
	if len(plan.Countries) > 0 && !slices.Contains(plan.Countries, address.Country) {
		return nil, none, ErrNotAvailableInArea
	}
	if !taxes.Enabled {
		return nil, address, nil
	}
	taxes, err = p.Catalog.Taxes(ctx, plan.SiteID, address.Country, address.State)
	return taxes.Rates, address, err
}

// defaultShippingAddress is the customer's default shipping address, or ErrAddressRequired when they have
// none.
func (p Pricer) defaultShippingAddress(ctx context.Context, who Target) (customer.Address, error) {
	state, err := p.customer(ctx, who)
	if err != nil {
		return customer.Address{}, err
	}
	i := slices.IndexFunc(state.Addresses, func(a customer.Address) bool {
		return a.Type == customer.AddressShipping && a.IsDefault
	})
	if i < 0 {
		return customer.Address{}, ErrAddressRequired
	}
	return state.Addresses[i], nil
}

// address is the customer's address of that id, or ErrAddressNotFound.
func (p Pricer) address(ctx context.Context, who Target, id int64) (customer.Address, error) {
	state, err := p.customer(ctx, who)
	if err != nil {
		return customer.Address{}, err
	}
	address, ok := state.Address(id)
	if !ok {
		return customer.Address{}, ErrAddressNotFound
	}
	return address, nil
}

// customer is the customer's state, refused when not registered in the target's account.
func (p Pricer) customer(ctx context.Context, who Target) (customer.State, error) {
	h, err := load(ctx, p.Store, CustomerAggregate, customerStream(who.CustomerID), "")
	if err != nil {
		return customer.State{}, err
	}
	if !h.state.Exists() || h.state.AccountID != who.AccountID {
		return customer.State{}, customer.ErrNotRegistered
	}
	return h.state, nil
}

// InvoiceOf is the invoice billing quote q with its one line: the quote's exclusive taxes as tax, its
// discount and the credit it used (Balance) as discount, so the invoice's total is the quote's AmountDue.
// Inclusive taxes stay inside the line's amount and are recorded as its inclusive tax. The caller fills in
// the customer, currency, reason, subscription and period.
func InvoiceOf(q pricing.Quote, line invoice.Line) invoice.Create {
	inclusive := q.InclusiveTax()
	return invoice.Create{Lines: []invoice.Line{line}, Tax: q.Tax - inclusive, InclusiveTax: inclusive,
		Discount: q.Discount + q.Balance}
}
