package main

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/catalog"

	"pgregory.net/rapid"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/aggregates/reservation"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
	"github.com/pelcro-oss/pelcro-api/internal/payments/sandbox"
	customerprojection "github.com/pelcro-oss/pelcro-api/projections/customer"
)

// subscriptionRefusals are the answers the subscription commands may give instead of writing.
var subscriptionRefusals = []error{subscription.ErrInvalid, subscription.ErrNotFound, subscription.ErrEnded,
	subscription.ErrGiftRecipient, subscription.ErrGiftDonor, subscription.ErrPaymentPending,
	subscription.ErrImmediateCancellationDisabled,
	subscription.ErrNotAutoRenew, subscription.ErrNotCanceling, subscription.ErrCurrencyMismatch,
	commands.ErrPlanNotFound, commands.ErrPaymentMeansRequired, commands.ErrSendInvoiceNotAllowed,
	commands.ErrSourceNotFound, customer.ErrNotRegistered, invoice.ErrInvalid, wallet.ErrTooMany,
	reservation.ErrInvalidOwner, payments.ErrUnavailable}

// subscriptionValues are the values of a creation a drawing changes (metadata as one key and value: the
// drawing helpers draw no map of strings).
type subscriptionValues struct {
	Quantity    int64
	CampaignKey string
	MetaKey     string
	MetaValue   string
	Domains     []string
	IPAddresses []string
	Gift        subscription.Gift
}

// drawnSubscriptionBase is what subscription drawings start from: values the rules accept.
var drawnSubscriptionBase = subscriptionValues{Quantity: 2, CampaignKey: "spring_2026", MetaKey: "a", MetaValue: "b",
	Domains: []string{"example.com"}, IPAddresses: []string{"81.2.69.0/24"},
	Gift: subscription.Gift{RecipientEmail: "bo@example.com", RecipientFirstName: "Bo", RecipientLastName: "Li", Message: "Enjoy"}}

// membership are terms every drawn value may be sold with (domains need a membership).
var membership = subscription.Terms{PlanID: 1, ProductID: 1, Amount: 999, Currency: "usd", Interval: "month",
	IntervalCount: 1, AutoRenew: true, Membership: true, MemberSeatCapacity: 3}

// asNew is the aggregate's creation of the values, for its rules.
func (v subscriptionValues) asNew() subscription.New {
	return subscription.New{Terms: membership, Quantity: v.Quantity, CampaignKey: v.CampaignKey,
		Metadata: map[string]string{v.MetaKey: v.MetaValue}, Domains: v.Domains, IPAddresses: v.IPAddresses, Gift: v.Gift}
}

// drawnPlans is a catalog of three plans: 1 a membership, 2 free in euros, 3 very dear and renewed weekly
// for a year; each may be paid by invoice or not, and the account's policy is drawn.
type drawnPlans struct {
	t *rapid.T
}

func (c drawnPlans) Plan(_ context.Context, siteID, planID int64) (commands.SalePlan, error) {
	terms := membership
	switch planID {
	case 1:
	case 2:
		terms = subscription.Terms{Amount: 0, Currency: "eur", Interval: "year", IntervalCount: 1}
	case 3:
		terms = subscription.Terms{Amount: 1 << 40, Currency: "usd", Interval: "week", IntervalCount: 52, AutoRenew: true}
	default:
		return commands.SalePlan{}, commands.ErrPlanNotFound
	}
	terms.PlanID = planID
	return commands.SalePlan{Terms: terms, SiteID: siteID, Active: true, SendInvoice: rapid.Bool().Draw(c.t, "send invoice")}, nil
}

func (drawnPlans) Coupon(context.Context, int64, string) (commands.SaleCoupon, error) {
	return commands.SaleCoupon{}, commands.ErrCouponNotFound
}

func (drawnPlans) Taxes(context.Context, int64, string, string) (commands.SiteTaxes, error) {
	return commands.SiteTaxes{}, nil
}

func (c drawnPlans) Account(context.Context, int64) (commands.AccountPolicy, error) {
	return commands.AccountPolicy{ImmediateCancellation: rapid.Bool().Draw(c.t, "immediate cancellation")}, nil
}

// runSubscriptions subscribes the customers (and nobody) to drawn plans with drawn values, paying with the
// sandbox's test cards (3-D Secure and declines among them), and cancels and reactivates what they hold;
// it returns the commands and what was subscribed, for the renewals, changes and gifts that follow.
func (w *propertyWorld) runSubscriptions(c catalog.Catalog, customers []int64) (commands.Subscriptions, []commands.Cancellation) {
	t, store := w.t, w.deps.EventStore
	w.waitFor(customerprojection.Name)
	gateways := commands.Gateways{commands.DefaultGateway: sandbox.New(w.deps.ReadModels.DB)}
	clock := func() time.Time { return w.now }
	intents := commands.Intents{Store: store, Gateways: gateways, Now: clock,
		Owners: map[payments.IntentKind]commands.IntentOwner{}} // filled below; the copies share it
	wallets := commands.Wallets{Store: store, Gateways: gateways, Intents: intents, Now: clock,
		MethodIDs: commands.NewIDAllocator(store, commands.IDKindPaymentMethod, commands.IDAllocatorConfig{})}
	invoices := commands.Invoices{Store: store, Gateways: gateways, Intents: intents, Now: clock,
		IDs: commands.NewIDAllocator(store, commands.IDKindInvoice, commands.IDAllocatorConfig{First: 1 << 40})}
	intents.Owners[payments.PaymentIntent], intents.Owners[payments.SetupIntent] = invoices.CompleteIntent, wallets.ConfirmSetup
	plans := drawnPlans{t: t}
	subscriptions := commands.Subscriptions{Store: store, Invoices: invoices, Wallets: wallets, Gateways: gateways,
		Catalog: plans, Pricer: commands.Pricer{Catalog: plans, Store: store}, Names: w.deps.Names, Now: clock,
		IDs: commands.NewIDAllocator(store, commands.IDKindSubscription, commands.IDAllocatorConfig{BlockSize: 10,
			First: rapid.SampledFrom([]int64{1, 1 << 31, 1 << 62}).Draw(t, "first subscription id")})}
	// Nobody, on a site of the catalog: the plans below are offered on any site id, but a real catalog offers
	// plans only on its sites, and the mails of a subscription (gift notice, seat invitation) are composed
	// from the site's row in catalog_sites.
	targets := []commands.Target{{CustomerID: 1 << 62, AccountID: 1, SiteID: rapid.SampledFrom(c.Sites).Draw(t, "nobody's site").ID}}
	for _, id := range customers {
		var who commands.Target
		err := w.deps.ReadModels.QueryRowContext(t.Context(), `SELECT id, account_id, site_id FROM customers WHERE id = $1`, id).
			Scan(&who.CustomerID, &who.AccountID, &who.SiteID)
		if err == nil {
			targets = append(targets, who)
		}
	}
	var held []commands.Cancellation
	for i := range rapid.IntRange(1, 12).Draw(t, "subscription steps") {
		env := commands.Envelope{CommandID: fmt.Sprint("subscription-", i)}
		var err error
		switch action := rapid.IntRange(0, 3).Draw(t, "subscription action"); {
		case action == 0 || len(held) == 0:
			who := rapid.SampledFrom(targets).Draw(t, "customer")
			drawn, kept := drawBoth(t, "subscription", drawnSubscriptionBase,
				func(v subscriptionValues) bool { return len(v.asNew().Problems()) == 0 })
			n := rapid.SampledFrom([]subscriptionValues{drawn, kept}).Draw(t, "which subscription").asNew()
			in := commands.NewSubscription{Target: who, PlanID: rapid.Int64Range(1, 4).Draw(t, "plan"),
				Quantity: n.Quantity, CampaignKey: n.CampaignKey, Metadata: n.Metadata, Domains: n.Domains,
				IPAddresses: n.IPAddresses, SendInvoice: rapid.Bool().Draw(t, "by invoice"),
				Token:     rapid.SampledFrom([]string{"", "tok_visa", "tok_visa", "tok_threeDSecure2Required", "tok_chargeCustomerFail"}).Draw(t, "token"),
				AddressID: w.someAddress(who)}
			if in.PlanID != 1 { // domains and IP addresses are for memberships only
				in.Domains, in.IPAddresses = nil, nil
			}
			if rapid.Bool().Draw(t, "a gift") {
				in.Gift, in.GiftStart = n.Gift, w.now.AddDate(0, 0, rapid.IntRange(0, 400).Draw(t, "gift in days"))
			}
			var created commands.CreatedSubscription
			if created, err = subscriptions.Create(t.Context(), env, in); err == nil {
				held = append(held, commands.Cancellation{Target: who, SubscriptionID: created.SubscriptionID})
			}
			if _, declined := errors.AsType[*payments.Declined](err); declined {
				err = nil
			}
		case action == 1:
			c := rapid.SampledFrom(held).Draw(t, "subscription")
			c.Mode = rapid.SampledFrom([]subscription.CancelMode{"", subscription.CancelNow, subscription.CancelAtPeriodEnd,
				subscription.CancelAtLastPeriodEnd}).Draw(t, "mode")
			c.Reason = text().Draw(t, "reason")
			_, err = subscriptions.Cancel(t.Context(), env, c)
		case action == 2:
			c := rapid.SampledFrom(held).Draw(t, "subscription")
			_, err = subscriptions.Reactivate(t.Context(), env, c.Target, c.SubscriptionID)
		default:
			err = w.moveOntoAddress(plans, held, env)
		}
		w.refused("subscription command", err, append(subscriptionRefusals, addressRefusals...)...)
		w.now = w.now.Add(time.Duration(rapid.IntRange(0, 90).Draw(t, "minutes later")) * time.Minute)
	}
	return subscriptions, held
}
