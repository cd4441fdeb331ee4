package queries

import (
	"context"
	"encoding/json"
	"fmt"
)

// Subscription is the Subscription resource (spec 3.5) in the Customer's `subscriptions` and
// `expired_subscriptions`, read from subscriptions (projections/subscription). Times are Unix seconds, null
// when the subscription has none; amounts integer minor units.
type Subscription struct {
	// MemberSubscription is what somebody the subscription does not belong to may see of it (the members
	// of its seats, anybody on its networks); every field below is its owner's alone.
	MemberSubscription
	UserID       int64           `json:"user_id"`
	CancelReason *string         `json:"cancel_reason"`
	AddressID    *int64          `json:"address_id"`
	Coupon       json.RawMessage `json:"coupon"`
	Phases       json.RawMessage `json:"phases"`
	Billing      string          `json:"billing"`
	// DaysUntilDue is how many days each invoice of a subscription paid by invoice gives the customer (null
	// for one charged automatically).
	DaysUntilDue  *int            `json:"days_until_due"`
	CampaignKey   *string         `json:"campaign_key"`
	Metadata      json.RawMessage `json:"metadata"`
	GiftCode      *string         `json:"gift_code"`
	IsRedeemed    bool            `json:"is_redeemed"`
	IsPaid        bool            `json:"is_paid"`
	LatestInvoice *int64          `json:"latest_invoice"`
	Domains       json.RawMessage `json:"domains"`
	IPAddresses   json.RawMessage `json:"ip_addresses"`
}

// GiftRecipient is a gift the customer gave, in the Customer's `gift_recipients`: the donor subscription
// with whom it is for and from when (gift_start_date, YYYY-MM-DD).
type GiftRecipient struct {
	Subscription
	Email     *string `json:"gift_recipient_email"`
	FirstName *string `json:"gift_recipient_first_name"`
	LastName  *string `json:"gift_recipient_last_name"`
	Message   *string `json:"gift_message"`
	StartDate *string `json:"gift_start_date"`
}

// subscriptionObject is the subscription row s as one element of selectSubscriptionsJSON (subscriptionRow).
var subscriptionObject = `json_build_object('id', s.id, 'object', 'subscription', 'user_id', s.customer_id,
	'status', s.status, 'type', s.type, 'site_id', s.site_id, 'terms', s.terms, 'quantity', s.quantity,
	'auto_renew', s.auto_renew, 'cancel_at_period_end', s.cancel_at IS NOT NULL AND s.ended_at IS NULL,
	'cancel_at', ` + unixSeconds("s.cancel_at") + `,
	'current_period_start', ` + unixSeconds("s.current_period_start") + `,
	'current_period_end', ` + unixSeconds("s.current_period_end") + `,
	'canceled_at', ` + unixSeconds("s.canceled_at") + `, 'cancel_reason', NULLIF(s.cancel_reason, ''),
	'ended_at', ` + unixSeconds("s.ended_at") + `, 'created', ` + unixSeconds("s.created_at") + `,
	'address_id', NULLIF(s.address_id, 0), 'coupon', s.coupon, 'phases', s.phases, 'billing', s.billing,
	'days_until_due', NULLIF(s.days_until_due, 0),
	'campaign_key', NULLIF(s.campaign_key, ''), 'metadata', s.metadata, 'gift_code', NULLIF(s.gift_code, ''),
	'is_redeemed', s.is_redeemed, 'is_paid', s.is_paid, 'latest_invoice', NULLIF(s.latest_invoice, 0),
	'is_membership', s.type = 'membership', 'domains', s.domains, 'ip_addresses', s.ip_addresses,
	'gift', CASE WHEN s.type = 'gift_donor' THEN json_build_object(
		'gift_recipient_email', NULLIF(s.gift_recipient_email, ''),
		'gift_recipient_first_name', NULLIF(s.gift_recipient_first_name, ''),
		'gift_recipient_last_name', NULLIF(s.gift_recipient_last_name, ''),
		'gift_message', NULLIF(s.gift_message, ''), 'gift_start_date', to_char(s.gift_start, 'YYYY-MM-DD')) END)`

// selectSubscriptionsJSON is every subscription of the customer row c, oldest first, as a JSON array.
var selectSubscriptionsJSON = `SELECT coalesce(json_agg(` + subscriptionObject + `
	ORDER BY s.created_at, s.id), '[]')
	FROM subscriptions s WHERE s.customer_id = c.id AND s.account_id = c.account_id`

// subscriptionRow is one element of selectSubscriptionsJSON: SiteID and Terms find the embedded plan (the
// catalog's plan of the site, or the terms as sold), Gift is a donor's recipient.
type subscriptionRow struct {
	Subscription
	SiteID int64           `json:"site_id"`
	Terms  json.RawMessage `json:"terms"`
	Gift   *GiftRecipient  `json:"gift"`
}

// subscriptionLists are the Customer's subscription arrays, and the currency they were sold in.
type subscriptionLists struct {
	Running, Expired []Subscription
	Gifts            []GiftRecipient
	Currency         *string
}

// subscriptionsFrom sorts selectSubscriptionsJSON's array into the Customer's arrays, each plan embedded:
// gifts given go to `gift_recipients`; the others to `subscriptions` while they run or wait for their
// first payment, and to `expired_subscriptions` once canceled, expired or unpaid, or when their first
// payment expired.
func subscriptionsFrom(ctx context.Context, plans planFinder, array []byte) (subscriptionLists, error) {
	var rows []subscriptionRow
	if err := json.Unmarshal(array, &rows); err != nil {
		return subscriptionLists{}, err
	}
	lists := subscriptionLists{Running: []Subscription{}, Expired: []Subscription{}, Gifts: []GiftRecipient{},
		Currency: currencyOf(rows)}
	if err := withPlans(ctx, plans, rows); err != nil {
		return subscriptionLists{}, err
	}
	for _, row := range rows {
		s := row.Subscription
		switch {
		case s.Type == "gift_donor" && row.Gift != nil:
			gift := *row.Gift
			gift.Subscription = s
			lists.Gifts = append(lists.Gifts, gift)
		case ended(s.Status):
			lists.Expired = append(lists.Expired, s)
		default:
			lists.Running = append(lists.Running, s)
		}
	}
	return lists, nil
}

// ended reports whether a subscription of that status is over (canceled, expired, unpaid, or
// incomplete_expired: its first payment never came): it shows under `expired_subscriptions`, and its
// members' seats under `expired_memberships`.
func ended(status string) bool {
	return status == "canceled" || status == "expired" || status == "unpaid" || status == "incomplete_expired"
}

// withPlans embeds each row's plan: the catalog's, or the terms as sold when the catalog no longer has it.
func withPlans(ctx context.Context, find planFinder, rows []subscriptionRow) error {
	plans, err := embeddedPlans(ctx, find, rows)
	if err != nil {
		return err
	}
	for i, row := range rows {
		rows[i].Plan = plans[planKey{row.SiteID, planIDOf(row.Terms)}]
		if rows[i].Plan == nil {
			rows[i].Plan = termsPlan(row.Terms)
		}
	}
	return nil
}

// planKey is a plan of a site.
type planKey struct{ site, plan int64 }

// embeddedPlans are the catalog's plans of the subscriptions, as GET /plan serves them, by site and id.
func embeddedPlans(ctx context.Context, find planFinder, rows []subscriptionRow) (map[planKey]json.RawMessage, error) {
	ids := map[int64][]int64{}
	for _, row := range rows {
		ids[row.SiteID] = append(ids[row.SiteID], planIDOf(row.Terms))
	}
	plans := map[planKey]json.RawMessage{}
	for site, planIDs := range ids {
		found, err := find(ctx, site, planIDs)
		if err != nil {
			return nil, err
		}
		for _, p := range found {
			encoded, err := json.Marshal(p)
			if err != nil {
				return nil, fmt.Errorf("queries: encode plan %d: %w", p.ID, err)
			}
			plans[planKey{site, p.ID}] = encoded
		}
	}
	return plans, nil
}

// planIDOf is the plan id of terms as sold (subscription.Terms as JSON).
func planIDOf(terms json.RawMessage) int64 {
	var t struct {
		PlanID int64 `json:"plan_id"`
	}
	_ = json.Unmarshal(terms, &t) // written by the projection from subscription.Terms
	return t.PlanID
}

// termsPlan is the plan as it was sold, for a plan the catalog no longer has: the terms (amount, currency,
// interval…) with the plan's id.
func termsPlan(terms json.RawMessage) json.RawMessage {
	plan := map[string]any{}
	_ = json.Unmarshal(terms, &plan)
	plan["id"], plan["object"] = planIDOf(terms), "plan"
	encoded, _ := json.Marshal(plan)
	return encoded
}
