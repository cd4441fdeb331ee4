package i18n

// Messages of the price preview (POST /order, #32; docs/pricing.md). An address of someone else's is
// AddressNotFound, an invalid coupon SubscriptionCouponInvalid, as everywhere.
const (
	PricingPlanNotFound        MessageID = "pricing.plan.not_found"
	PricingCouponNotForPlan    MessageID = "pricing.coupon.not_for_plan"
	PricingAddressRequired     MessageID = "pricing.address.required"
	PricingNotAvailableInArea  MessageID = "pricing.area.not_available"
	PricingSubscriptionMissing MessageID = "pricing.subscription.not_found"
	PricingCouponCodeText      MessageID = "pricing.coupon_code.string"
	PricingAddressIDInteger    MessageID = "pricing.address_id.integer"
	PricingSubscriptionInteger MessageID = "pricing.subscription_id.integer"
)
