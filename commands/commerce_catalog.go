package commands

import (
	"context"
	"errors"
	"slices"

	"github.com/pelcro-oss/pelcro-api/aggregates/pricing"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// CommerceCatalog is what the commerce commands (subscriptions, the price preview, the billing clock) read
// of the catalog: plans on sale, coupons by code, tax rates and account policies. cmd/pelcro wires it to the
// catalog's read models, which the catalog import keeps; the catalog changes rarely and is never written
// by a sale, so reading it a moment late is harmless, unlike the customer's own state, which the commands
// load from the log.
type CommerceCatalog interface {
	// Plan is a plan of the site, on sale or not (Plan.Active), or ErrPlanNotFound (unknown, or another
	// site's).
	Plan(ctx context.Context, siteID, planID int64) (SalePlan, error)
	// Coupon is the site's coupon of that code, or ErrCouponNotFound.
	Coupon(ctx context.Context, siteID int64, code string) (SaleCoupon, error)
	// Taxes are the site's tax settings and the rates of an address in country (ISO 3166-1 alpha-2) and state
	// (ISO 3166-2 subdivision, "" for none): the country-wide rate and the state's, when they exist. Country
	// "" asks for the settings alone (no rates).
	Taxes(ctx context.Context, siteID int64, country, state string) (SiteTaxes, error)
	// Account is the account's commerce policy; an account the catalog does not define has the defaults.
	Account(ctx context.Context, accountID int64) (AccountPolicy, error)
}

// ErrPlanNotFound and ErrCouponNotFound: no such plan or coupon on the site.
var (
	ErrPlanNotFound   = errors.New("commands: no such plan on this site")
	ErrCouponNotFound = errors.New("commands: no such coupon on this site")
)

// SalePlan is a plan as a sale needs it: its terms, and the rules of who may buy it where.
type SalePlan struct {
	Terms     subscription.Terms
	SiteID    int64
	AccountID int64
	Active    bool
	// AddressRequired is the product's address_required; Countries the product's (and plan's) allowed
	// countries, empty for everywhere.
	AddressRequired bool
	Countries       []string
	// SendInvoice says the plan may be paid by invoice (pay_via_send_invoice).
	SendInvoice bool
	IsGift      bool
	// SegmentIDs restrict the plan to customers of those segments (empty: everybody).
	SegmentIDs []int64
}

// fits reports whether the coupon may discount the plan of terms: not limited to other plans, and an amount
// off in the plan's currency.
func (c SaleCoupon) fits(terms subscription.Terms) bool {
	return (len(c.PlanIDs) == 0 || slices.Contains(c.PlanIDs, terms.PlanID)) &&
		(c.Currency == "" || c.Currency == terms.Currency)
}

// SaleCoupon is a coupon as a sale needs it.
type SaleCoupon struct {
	Coupon subscription.Coupon
	// Currency is the currency of an amount-off coupon ("" for a percentage); PlanIDs the plans it is limited
	// to (empty: every plan); SegmentIDs the segments it is restricted to (empty: everybody).
	Currency   string
	PlanIDs    []int64
	SegmentIDs []int64
}

// SiteTaxes are a site's tax settings for one address.
type SiteTaxes struct {
	Enabled bool
	Rates   []pricing.TaxRate
}

// AccountPolicy is an account's commerce settings.
type AccountPolicy struct {
	// ImmediateCancellation allows cancel mode now (rule 18).
	ImmediateCancellation bool
	Dunning               subscription.Dunning
	// DaysUntilDue is how many days an invoice sent to be paid gives the customer (0: the default,
	// subscription.DefaultDaysUntilDue).
	DaysUntilDue int
}
