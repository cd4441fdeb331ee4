package i18n

// Messages of the price preview (POST /order, #32; docs/pricing.md). An address of someone else's is
// AddressNotFound, an invalid coupon SubscriptionCouponInvalid, as everywhere.
const (
	PricingCouponNotForPlan    MessageID = "pricing.coupon.not_for_plan"
	PricingCouponCodeText      MessageID = "pricing.coupon_code.string"
	PricingAddressIDInteger    MessageID = "pricing.address_id.integer"
	PricingSubscriptionInteger MessageID = "pricing.subscription_id.integer"
)
