package i18n

// Messages of the price preview (POST /order, #32; docs/pricing.md). An address of someone else's is
// AddressNotFound, an unknown coupon SubscriptionCouponInvalid and one for other plans
// SubscriptionCouponNotForPlan, as everywhere.
const (
	PricingCouponCodeText      MessageID = "pricing.coupon_code.string"
	PricingAddressIDInteger    MessageID = "pricing.address_id.integer"
	PricingSubscriptionInteger MessageID = "pricing.subscription_id.integer"
)
