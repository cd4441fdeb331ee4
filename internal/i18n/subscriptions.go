package i18n

// Messages of the subscription endpoints (spec 2.4 #27–#29, rules 16–19; docs/subscriptions.md). The
// English wording of the plan and area refusals is the Open API's own: front ends match it, keep it exactly.
// A coupon is refused on every endpoint that takes a coupon code (subscriptions and gifts, renewals and
// changes, the price preview, carts and orders) with one message per reason: SubscriptionCouponInvalid for a
// code the customer may not use (unknown, or kept for segments they are not in), SubscriptionCouponNotForPlan
// for a coupon limited to other plans or taking an amount off in another currency. Likewise
// the plan, subscription, address, area, ended and currency refusals are worded by these messages alone on
// create, cancel, reactivate, renew, change, the gifts and the price preview: one refusal, one message.
// Warning: add no family copy of them; a front end matches the words.
const (
	SubscriptionPlanInvalid           MessageID = "subscriptions.plan.invalid"
	SubscriptionNotAvailableInArea    MessageID = "subscriptions.not_available_in_area"
	SubscriptionCouponInvalid         MessageID = "subscriptions.coupon.invalid"
	SubscriptionCouponNotForPlan      MessageID = "subscriptions.coupon.not_for_plan"
	SubscriptionCurrencyMismatch      MessageID = "subscriptions.currency_mismatch"
	SubscriptionAddressRequired       MessageID = "subscriptions.address_required"
	SubscriptionPaymentRequired       MessageID = "subscriptions.payment_required"
	SubscriptionSendInvoiceNotAllowed MessageID = "subscriptions.send_invoice_not_allowed"
	SubscriptionNotFound              MessageID = "subscriptions.not_found"
	SubscriptionEnded                 MessageID = "subscriptions.ended"
	SubscriptionGift                  MessageID = "subscriptions.gift"
	SubscriptionPaymentPending        MessageID = "subscriptions.payment_pending"
	SubscriptionImmediateDisabled     MessageID = "subscriptions.immediate_cancellation_disabled"
	SubscriptionNotAutoRenew          MessageID = "subscriptions.not_auto_renew"
	SubscriptionNotCanceling          MessageID = "subscriptions.not_canceling"
	// SubscriptionAddressChanged: the address changed country or state while the sale was being made, on
	// every endpoint that sells on an address (create, renew, change, gifts).
	SubscriptionAddressChanged MessageID = "subscriptions.address_changed"
	// MembersNoSubscriptions answers GET /members/ip/authorization when no membership covers the caller
	// (spec #24); the English text is the Open API's own.
	MembersNoSubscriptions MessageID = "subscriptions.members_ip.not_found"
)

// SubscriptionInvalid is the message of a broken value rule on a subscription field:
// "subscriptions.invalid.<rule>", rule being the aggregate's (aggregates/subscription Rule*) or the decoder's
// (integer, string, boolean, array, object). Every locale file of the family defines each one.
func SubscriptionInvalid(rule string) MessageID {
	return MessageID("subscriptions.invalid." + rule)
}
