package i18n

// Messages of the e-commerce order summary and order (#53, #54; docs/ecommerce.md). An address of someone
// else's is AddressNotFound, a card refused is the card's own message, an unknown coupon
// SubscriptionCouponInvalid, as everywhere.
const (
	// OrderItemInvalid refuses `items` as a whole: not a list, or lines of one SKU adding up to more units
	// than one line may hold. A bad field of one item has its own message under "items.N.<field>".
	OrderItemInvalid MessageID = "orders.items.invalid"
	// OrderItemSKUInteger, OrderItemSKUMin, OrderItemQuantityInteger and OrderItemQuantityBetween word what
	// is wrong with one item's field, answered under "items.N.sku_id" or "items.N.quantity"; a missing one
	// is Required's.
	OrderItemSKUInteger      MessageID = "orders.items.sku_id.integer"
	OrderItemSKUMin          MessageID = "orders.items.sku_id.min"
	OrderItemQuantityInteger MessageID = "orders.items.quantity.integer"
	OrderItemQuantityBetween MessageID = "orders.items.quantity.between"
	OrderItemsTooMany        MessageID = "orders.items.too_many"
	OrderIDInteger           MessageID = "orders.id.integer"
	OrderCampaignKeyText     MessageID = "orders.campaign_key.string"
	OrderSKUNotFound         MessageID = "orders.sku.not_found"
	OrderMixedCurrencies     MessageID = "orders.currency.mixed"
	// OrderCouponNotForItems: a coupon limited to plans, or taking an amount off in another currency, on a
	// cart (a subscription's words name a plan a cart does not have).
	OrderCouponNotForItems MessageID = "orders.coupon.not_for_items"
	OrderAddressRequired   MessageID = "orders.address.required"
	OrderOutOfStock        MessageID = "orders.stock.out"
	OrderExpired           MessageID = "orders.expired"
	OrderPaymentRequired   MessageID = "orders.payment.required"
	OrderTooLarge          MessageID = "orders.amount.too_large"
	// OrderShopClosed: the site's ecommerce_enabled is off.
	OrderShopClosed MessageID = "orders.ecommerce.disabled"
)
