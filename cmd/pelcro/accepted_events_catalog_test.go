package main

import (
	"fmt"
	"time"

	"pgregory.net/rapid"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"
	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/commands"
)

// importCatalog draws a variant of base and imports it through commands.ImportCatalog twice: whole, which
// the import must accept or refuse (a broken rule), then as keepAccepted keeps it, which it must accept. It
// returns what it imported. Importing a variant of what was imported changes, retires and reactivates
// entities. base must hold customer segments and items restricted to them (the example does), so that
// segments with drawn rules (hostile texts in domains, countries, metadata keys and values) reach the
// store, and the segment_ids of plans, coupons and SKUs are projected.
func (w *propertyWorld) importCatalog(base catalog.Catalog) catalog.Catalog {
	if !restrictsToSegments(base) {
		w.t.Fatalf("the base catalog has no segment that an item is restricted to: segments would not be drawn")
	}
	drawn, accepted := drawBoth(w.t, "catalog", base, func(c catalog.Catalog) bool { return len(c.Problems()) == 0 })
	_, err := commands.ImportCatalog(w.t.Context(), w.deps.EventStore, drawn, w.now)
	w.refused("import a drawn catalog", err)
	if _, err := commands.ImportCatalog(w.t.Context(), w.deps.EventStore, accepted, w.now); err != nil {
		w.t.Fatalf("a catalog without problems was not imported: %v", err)
	}
	w.now = w.now.Add(time.Hour)
	return accepted
}

// restrictsToSegments reports whether c has segments and a coupon or a SKU restricted to one.
func restrictsToSegments(c catalog.Catalog) bool {
	restricted := false
	for _, coupon := range c.Coupons {
		restricted = restricted || len(coupon.SegmentIDs) > 0
	}
	for _, p := range c.EcommerceProducts {
		for _, sku := range p.SKUs {
			restricted = restricted || len(sku.SegmentIDs) > 0
		}
	}
	return len(c.Segments) > 0 && restricted
}

// runNewsletters subscribes, changes and deletes newsletter entries on the catalog's sites (or on any
// site id: the aggregate does not know sites), some of them lookalikes of others.
func (w *propertyWorld) runNewsletters(c catalog.Catalog) {
	t := w.t
	n := commands.Newsletters{Store: w.deps.EventStore, Names: w.deps.Names, Now: func() time.Time { return w.now }}
	sites := []int64{1, 9_223_372_036_854_775_807}
	for _, s := range c.Sites {
		sites = append(sites, s.ID)
	}
	var emails []string
	refusals := []error{aggregates.ErrInvalidInput, newsletter.ErrAlreadySubscribed, newsletter.ErrNotSubscribed}
	for step := range rapid.IntRange(5, 15).Draw(t, "newsletter steps") {
		site := rapid.SampledFrom(sites).Draw(t, "site")
		address := email().Draw(t, "email")
		if len(emails) > 0 && rapid.Bool().Draw(t, "known email") {
			address = rapid.SampledFrom(emails).Draw(t, "known")
		}
		env := commands.Envelope{CommandID: fmt.Sprintf("newsletter-%d", step)}
		var err error
		switch action := rapid.SampledFrom([]string{"subscribe", "subscribe", "update", "unsubscribe", "erase"}).Draw(t, "action"); action {
		case "subscribe":
			raw, kept := drawBoth(t, "details", newsletter.Details{}, func(d newsletter.Details) bool { return len(d.Problems()) == 0 })
			if len(newsletter.EmailProblems(newsletter.NormaliseEmail(address))) > 0 && rapid.Bool().Draw(t, "plain email") {
				address = fmt.Sprintf("reader-%d@example.com", step)
			}
			for _, details := range []newsletter.Details{raw, kept} {
				_, err = n.Subscribe(t.Context(), env, newsletter.Subscribe{SiteID: site, Email: address, Details: details})
				if !w.refused("subscribe", err, refusals...) {
					emails = append(emails, address)
					break
				}
			}
		case "update":
			raw, kept := drawBoth(t, "patch", newsletter.Patch{},
				func(p newsletter.Patch) bool { return len(p.ApplyTo(newsletter.Details{}).Problems()) == 0 })
			for _, patch := range []newsletter.Patch{raw, kept} {
				_, err = n.Update(t.Context(), env, newsletter.Update{SiteID: site, Email: address, Changes: patch})
				if !w.refused("update", err, refusals...) {
					break
				}
			}
		case "unsubscribe":
			_, err = n.Unsubscribe(t.Context(), env, newsletter.Unsubscribe{SiteID: site, Email: address})
			w.refused("unsubscribe", err, refusals...)
		case "erase":
			_, err = n.Erase(t.Context(), env, site, address)
			w.refused("erase", err, refusals...)
		}
	}
}
