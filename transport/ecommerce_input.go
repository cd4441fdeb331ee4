package transport

import (
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/order"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// cartInput reads the cart of #53 and #54: items (required, 1 to order.MaxItems objects, each with an
// integer sku_id ≥ 1 and an integer quantity from 1 to order.MaxQuantity; JSON bodies only, since a form
// has no way to nest them), coupon_code (text; null or "" is none) and address_id (integer; null is none).
func cartInput(params Params) (commands.Cart, fieldErrors) {
	failures := fieldErrors{}
	cart := commands.Cart{Items: cartItems(params, failures)}
	cart.CouponCode = textParam(params, "coupon_code", i18n.PricingCouponCodeText, failures)
	cart.AddressID = orderID(params, "address_id", failures)
	return cart, failures
}

// orderInput reads #54's body: the cart, then payment_gateway and gateway_token, or source_id, and
// campaign_key.
func orderInput(params Params) (commands.NewOrder, fieldErrors) {
	cart, failures := cartInput(params)
	in := commands.NewOrder{Cart: cart, SourceID: sourceIDParam(params, failures),
		Gateway:     textParam(params, "payment_gateway", i18n.PaymentGatewayText, failures),
		Token:       gatewayTokenParam(params, "gateway_token", failures),
		CampaignKey: textParam(params, "campaign_key", i18n.OrderCampaignKeyText, failures)}
	return in, failures
}

// cartItems decodes the items array. A missing or empty list is required, a value that is no list and
// more than order.MaxItems items fail `items` as a whole; otherwise each bad field of each item fails on
// its own, Laravel's way, under "items.N.sku_id" or "items.N.quantity", saying what is wrong with it.
func cartItems(params Params, failures fieldErrors) []commands.CartItem {
	raw, ok := params.Raw("items")
	if !ok {
		failures["items"] = []i18n.MessageID{i18n.Required("items")}
		return nil
	}
	var items []json.RawMessage
	if json.Unmarshal(raw, &items) != nil {
		failures["items"] = []i18n.MessageID{i18n.OrderItemInvalid}
		return nil
	}
	if len(items) > order.MaxItems {
		failures["items"] = []i18n.MessageID{i18n.OrderItemsTooMany}
		return nil
	}
	if len(items) == 0 {
		failures["items"] = []i18n.MessageID{i18n.Required("items")}
		return nil
	}
	cart := make([]commands.CartItem, len(items))
	before := len(failures)
	for i, raw := range items {
		cart[i] = cartItem(i, raw, failures)
	}
	if len(failures) > before {
		return nil
	}
	return cart
}

// cartItem reads item i of the cart; an item that is no object has neither field.
func cartItem(i int, raw json.RawMessage, failures fieldErrors) commands.CartItem {
	var members map[string]json.RawMessage
	_ = json.Unmarshal(raw, &members) // a list, a text or a number leaves both fields absent
	item := paramsFromJSON(members)
	prefix := "items." + strconv.Itoa(i) + "."
	return commands.CartItem{
		SKUID:    itemInt(item, "sku_id", prefix, skuIDRule, failures),
		Quantity: itemInt(item, "quantity", prefix, quantityRule, failures),
	}
}

// itemRule bounds an integer field of an item to 1..limit and words what is wrong with it.
type itemRule struct {
	limit                          int64
	notInteger, belowOne, overMany i18n.MessageID
}

var (
	// skuIDRule: an id beyond int32 names nothing, so it is no id, as on every id field (positiveInt).
	skuIDRule    = itemRule{maxSubscriptionID, i18n.OrderItemSKUInteger, i18n.OrderItemSKUMin, i18n.OrderItemSKUInteger}
	quantityRule = itemRule{order.MaxQuantity, i18n.OrderItemQuantityInteger, i18n.OrderItemQuantityBetween,
		i18n.OrderItemQuantityBetween}
)

// itemInt reads the item's required integer name by the API's one integer rule (Params.Integer); a failure
// is answered under prefix+name, the item's index in it.
func itemInt(item Params, name, prefix string, rule itemRule, failures fieldErrors) int64 {
	field := prefix + name
	n, _, err := item.Integer(name, true)
	var problem i18n.MessageID
	switch {
	case errors.Is(err, errIntegerRequired):
		problem = i18n.Required(field)
	case errors.Is(err, errNotInteger):
		problem = rule.notInteger
	case n < 1: // strconv's range error leaves n at the nearest int64
		problem = rule.belowOne
	case err != nil || n > rule.limit:
		problem = rule.overMany
	default:
		return n
	}
	failures[field] = []i18n.MessageID{problem}
	return 0
}

// orderID reads an optional positive integer id; absent, null or "" is 0 (none).
func orderID(params Params, name string, failures fieldErrors) int64 {
	refused := fieldErrors{}
	id := positiveInt(params, name, false, refused)
	if len(refused) > 0 {
		failures[name] = []i18n.MessageID{i18n.OrderIDInteger}
	}
	return id
}

// textParam reads an optional text (Params.Text: absent or null is "", a number as written); a boolean,
// list or object is a failure of its field, worded by message.
func textParam(params Params, name string, message i18n.MessageID, failures fieldErrors) string {
	value, ok := params.Text(name)
	if !ok {
		failures[name] = []i18n.MessageID{message}
	}
	return value
}

// orderRefusals word the refusals of the order commands (rule 27, docs/ecommerce.md): an unknown SKU or
// address, an area the items are not sold in and a decline are 404; everything the caller can fix in the
// cart is 400, out of stock included, and so is a site that does not sell, as the API refuses any feature a
// site has off (passwordless login, email verification).
var orderRefusals = []struct {
	err     error
	status  int
	message i18n.MessageID
}{
	{commands.ErrShopClosed, http.StatusBadRequest, i18n.OrderShopClosed},
	{commands.ErrSKUNotFound, http.StatusNotFound, i18n.OrderSKUNotFound},
	{commands.ErrAddressNotFound, http.StatusNotFound, i18n.AddressNotFound},
	{commands.ErrNotAvailableInArea, http.StatusNotFound, i18n.SubscriptionNotAvailableInArea},
	{commands.ErrSourceAwaitingAuthentication, http.StatusNotFound, i18n.PaymentMethodPending}, // matches the next
	{commands.ErrSourceNotFound, http.StatusNotFound, i18n.PaymentMethodNotFound},
	{commands.ErrMixedCurrencies, http.StatusBadRequest, i18n.OrderMixedCurrencies},
	{commands.ErrCouponNotFound, http.StatusBadRequest, i18n.SubscriptionCouponInvalid},
	{commands.ErrCouponNotForPlan, http.StatusBadRequest, i18n.OrderCouponNotForItems},
	{commands.ErrAddressRequired, http.StatusBadRequest, i18n.OrderAddressRequired},
	{commands.ErrPaymentMeansRequired, http.StatusBadRequest, i18n.OrderPaymentRequired},
	{commands.ErrOutOfStock, http.StatusBadRequest, i18n.OrderOutOfStock},
	{commands.ErrOrderExpired, http.StatusBadRequest, i18n.OrderExpired},
	{aggregates.ErrInvalidInput, http.StatusBadRequest, i18n.OrderTooLarge},
}

// orderFieldMessages word the problems of the order commands the caller fixes in a field: lines of one SKU
// adding up to too many units, as a line of too many; a campaign key out of shape, as on a subscription.
// Any other problem (the amounts) is the order being too large.
var orderFieldMessages = map[string]i18n.MessageID{
	"items":        i18n.OrderItemInvalid,
	"campaign_key": i18n.SubscriptionInvalid(string(aggregates.RuleCampaignKey)),
}

// orderFieldErrors are the problems orderFieldMessages words, by field; empty when none is one of them.
func orderFieldErrors(problems aggregates.FieldProblems) fieldErrors {
	failures := fieldErrors{}
	for _, p := range problems {
		if message, ok := orderFieldMessages[p.Field]; ok {
			failures[p.Field] = []i18n.MessageID{message}
		}
	}
	return failures
}

// refuseOrder answers a refusal of the order commands; declines and gateway failures as for cards.
func (h ecommerceHandlers) refuseOrder(w http.ResponseWriter, r *http.Request, err error) {
	if problems, ok := errors.AsType[aggregates.FieldProblems](err); ok {
		if failures := orderFieldErrors(problems); len(failures) > 0 {
			writeValidation(w, r, failures)
			return
		}
	}
	if errors.Is(err, customer.ErrNotRegistered) { // the token's customer is not (any more) in this account
		writeError(w, r, http.StatusUnauthorized, i18n.TokenInvalid)
		return
	}
	for _, refusal := range orderRefusals {
		if errors.Is(err, refusal.err) {
			writeError(w, r, refusal.status, refusal.message)
			return
		}
	}
	h.refuseCard(w, r, err)
}
