package transport

import (
	"context"
	"fmt"
	"net/http"
	"testing"

	"github.com/pelcro-oss/pelcro-api/commands"
)

// couponRefuser refuses every sale by its coupon code: UNKNOWN is a code the site does not have, OTHERPLAN
// a coupon limited to other plans (or another currency), as the commands report them.
type couponRefuser struct{}

func (couponRefuser) refuse(code string) error {
	if code == "OTHERPLAN" {
		return commands.ErrCouponNotForPlan
	}
	return commands.ErrCouponNotFound
}

func (f couponRefuser) Preview(_ context.Context, r commands.PreviewRequest) (commands.Preview, error) {
	return commands.Preview{}, f.refuse(r.CouponCode)
}

func (f couponRefuser) Summary(_ context.Context, cart commands.Cart) (commands.CartQuote, error) {
	return commands.CartQuote{}, f.refuse(cart.CouponCode)
}

func (f couponRefuser) Place(_ context.Context, _ commands.Envelope, in commands.NewOrder) (commands.PlacedOrder, error) {
	return commands.PlacedOrder{}, f.refuse(in.CouponCode)
}

func (f couponRefuser) Create(_ context.Context, _ commands.Envelope, in commands.NewSubscription) (commands.CreatedSubscription, error) {
	return commands.CreatedSubscription{}, f.refuse(in.CouponCode)
}

func (couponRefuser) Cancel(context.Context, commands.Envelope, commands.Cancellation) (commands.SubscriptionResult, error) {
	return commands.SubscriptionResult{}, nil
}

func (couponRefuser) Reactivate(context.Context, commands.Envelope, commands.Target, int64) (commands.SubscriptionResult, error) {
	return commands.SubscriptionResult{}, nil
}

func (f couponRefuser) Renew(_ context.Context, _ commands.Envelope, in commands.Renewal) (commands.SubscriptionResult, error) {
	return commands.SubscriptionResult{}, f.refuse(in.CouponCode)
}

func (f couponRefuser) Change(_ context.Context, _ commands.Envelope, in commands.PlanChange) (commands.ChangedPlan, error) {
	return commands.ChangedPlan{}, f.refuse(in.CouponCode)
}

func (f couponRefuser) RenewGift(_ context.Context, _ commands.Envelope, in commands.GiftRenewal) (commands.SubscriptionResult, error) {
	return commands.SubscriptionResult{}, f.refuse(in.CouponCode)
}

func (couponRefuser) RedeemGift(context.Context, commands.Envelope, commands.GiftRedemption) (commands.SubscriptionResult, error) {
	return commands.SubscriptionResult{}, nil
}

// TestACouponIsRefusedInOneWordingPerReason: every endpoint taking a coupon_code words one reason (an unknown
// code, a coupon not for what is bought) with the same message, in every language; a coupon not for a cart
// names its items, not a plan a cart does not have.
func TestACouponIsRefusedInOneWordingPerReason(t *testing.T) {
	t.Parallel()
	// given every endpoint taking coupon_code, each refusing the coupon for the reason its code names
	deps, world := customerStack(t)
	deps.PricePreviews, deps.OrderCommands = couponRefuser{}, couponRefuser{}
	deps.SubscriptionCommands, deps.SubscriptionChanges = couponRefuser{}, couponRefuser{}
	world.router = newTestRouter(t, deps)
	token, _ := world.register(t, "ann@coupons.example.com", customerPassword)
	endpoints := []struct {
		path, body string
		status     int  // the endpoint's status for a business refusal
		cart       bool // an e-commerce cart, not a plan
	}{
		{"/order", `{"plan_id":4051,"coupon_code":%q}`, 404, false},
		{"/subscription", `{"plan_id":4051,"gateway_token":"tok_visa","coupon_code":%q}`, 404, false},
		{"/subscription", `{"plan_id":4051,"gateway_token":"tok_visa","gift_recipient_email":"bo@example.com","coupon_code":%q}`, 404, false},
		{"/subscription/renew", `{"plan_id":4051,"subscription_id":9,"coupon_code":%q}`, 400, false},
		{"/subscription/change", `{"plan_id":4054,"subscription_id":9,"coupon_code":%q}`, 404, false},
		{"/subscription/gift/renew", `{"plan_id":4051,"subscription_id":9,"quantity":1,"coupon_code":%q}`, 400, false},
		{"/ecommerce/order-summary", `{"items":[{"sku_id":1,"quantity":1}],"coupon_code":%q}`, 400, true},
		{"/ecommerce/order", `{"items":[{"sku_id":1,"quantity":1}],"gateway_token":"tok_visa","coupon_code":%q}`, 400, true},
	}
	reasons := []struct{ code, language, message, cartMessage string }{
		{"UNKNOWN", "en", "Invalid coupon provided", "Invalid coupon provided"},
		{"UNKNOWN", "fr", "Coupon fourni non valide", "Coupon fourni non valide"},
		{"OTHERPLAN", "en", "This coupon is not valid for this plan", "This coupon is not valid for these items."},
		{"OTHERPLAN", "de", "Dieser Gutschein gilt nicht für diesen Tarif", "Dieser Gutschein gilt nicht für diese Artikel."},
	}
	for _, endpoint := range endpoints {
		for _, reason := range reasons {
			t.Run(fmt.Sprintf("%s %s %s", endpoint.path, reason.code, reason.language), func(t *testing.T) {
				t.Parallel()
				// when the coupon is sent there
				target := fmt.Sprintf("%s?site_id=%d&language=%s", endpoint.path, customerSite, reason.language)
				rec := world.call(http.MethodPost, target, token, fmt.Sprintf(endpoint.body, reason.code))
				// then the refusal has the reason's one wording, at the endpoint's status
				want := reason.message
				if endpoint.cart {
					want = reason.cartMessage
				}
				assertError(t, rec, endpoint.status, want)
			})
		}
	}
}
