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

// cartItems decodes the items array; more than order.MaxItems fail the field with a message saying the
// limit, and any item out of shape fails it with one message for all.
func cartItems(params Params, failures fieldErrors) []commands.CartItem {
	raw, ok := params.Raw("items")
	if !ok {
		failures["items"] = []i18n.MessageID{i18n.Required("items")}
		return nil
	}
	var items []struct {
		SKUID    json.RawMessage `json:"sku_id"`
		Quantity json.RawMessage `json:"quantity"`
	}
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
	for i, item := range items {
		sku, skuOK := boundedInt(item.SKUID, maxSubscriptionID)
		quantity, quantityOK := boundedInt(item.Quantity, order.MaxQuantity)
		if !skuOK || !quantityOK {
			failures["items"] = []i18n.MessageID{i18n.OrderItemInvalid}
			return nil
		}
		cart[i] = commands.CartItem{SKUID: sku, Quantity: quantity}
	}
	return cart
}

// boundedInt is the value, by the API's integer rule (integerText), as an integer from 1 to limit.
func boundedInt(raw json.RawMessage, limit int64) (int64, bool) {
	text, ok := integerText(raw)
	if !ok {
		return 0, false
	}
	v, err := strconv.ParseInt(text, 10, 64)
	return v, err == nil && v >= 1 && v <= limit
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
