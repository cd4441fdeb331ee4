package operator

import (
	"fmt"
	"strings"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/aggregates/idblock"
	"github.com/pelcro-oss/pelcro-api/aggregates/intent"
	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/aggregates/reservation"
)

// newsletterDescribers describe the newsletter entries (kept per site and email, without a customer).
var newsletterDescribers = map[string]describer{
	"newsletter.subscribed": describeAs(func(e newsletter.Subscribed) string {
		return fmt.Sprintf("An email subscribed to the newsletter of site %d", e.SiteID)
	}),
	"newsletter.updated": describeAs(func(e newsletter.Updated) string {
		return fmt.Sprintf("A newsletter entry of site %d was updated", e.SiteID)
	}),
	"newsletter.unsubscribed": describeAs(func(e newsletter.Unsubscribed) string {
		return fmt.Sprintf("An email unsubscribed from the newsletter of site %d", e.SiteID)
	}),
	"newsletter.erased": describeAs(func(e newsletter.Erased) string {
		return fmt.Sprintf("A newsletter entry of site %d was erased", e.SiteID)
	}),
}

// catalogDescribers describe the catalog events by the entity they are about (catalog.Subject).
var catalogDescribers = func() map[string]describer {
	table := map[string]describer{}
	for _, name := range []string{"account_defined", "account_changed", "site_defined", "site_changed",
		"product_defined", "product_changed", "plan_defined", "plan_changed", "plan_retired", "plan_reactivated",
		"coupon_defined", "coupon_changed", "ecommerce_product_defined", "ecommerce_product_changed",
		"sku_defined", "sku_changed", "tax_rate_defined", "tax_rate_changed", "segment_defined", "segment_changed"} {
		verb := name[strings.LastIndexByte(name, '_')+1:]
		table["catalog."+name] = describeAs(func(e catalog.Event) string {
			s := e.Subject()
			return fmt.Sprintf("The catalog import %s %s %s", verb, strings.ReplaceAll(string(s.Kind), "_", " "), s.ID)
		})
	}
	return table
}()

// infrastructureDescribers describe the bookkeeping events of id blocks, uniqueness reservations and payment
// intents.
var infrastructureDescribers = map[string]describer{
	"idblock.reserved": describeAs(func(e idblock.Reserved) string {
		return fmt.Sprintf("Ids %d to %d were reserved", e.First, e.Last)
	}),
	"intent.registered": describeAs(func(e intent.Registered) string {
		return fmt.Sprintf("A %s for customer %d was registered (for %s)", strings.ReplaceAll(e.Kind, "_", " "), e.CustomerID, e.Owner)
	}),
	"reservation.claimed": describeAs(func(e reservation.Claimed) string {
		if e.PreviousOwnerID != 0 {
			return fmt.Sprintf("%d took over a unique name from %d", e.OwnerID, e.PreviousOwnerID)
		}
		return fmt.Sprintf("%d claimed a unique name (email or username)", e.OwnerID)
	}),
	"reservation.released": describeAs(func(e reservation.Released) string {
		return fmt.Sprintf("%d released a unique name", e.OwnerID)
	}),
}
