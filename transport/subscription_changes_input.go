package transport

import (
	"errors"
	"net/http"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// renewalInput reads the fields the renewal, change and gift endpoints share, collecting every failure at
// once (spec 1.7: 400 with the messages of each field).
type renewalInput struct {
	params   Params
	failures fieldErrors
}

func newRenewalInput(r *http.Request) *renewalInput {
	return &renewalInput{params: requestParams(r), failures: fieldErrors{}}
}

// fail adds a message to a field.
func (in *renewalInput) fail(field string, message i18n.MessageID) {
	in.failures[field] = append(in.failures[field], message)
}

// id reads a positive integer id; a missing one is 0, and a failure (i18n.Required) when it is required.
// One that is no integer fails with malformed, an integer below 1 with the positive-integer words.
func (in *renewalInput) id(field string, required bool, malformed i18n.MessageID) int64 {
	id, given, err := in.params.Integer(field, required)
	switch {
	case errors.Is(err, errIntegerRequired):
		in.fail(field, i18n.Required(field))
	case err != nil:
		in.fail(field, malformed)
	case given && id <= 0:
		in.fail(field, i18n.SubscriptionInvalid("positive"))
	}
	return id
}

// text reads an optional text field (Params.Text; "" when absent or null, a number as written); a boolean,
// a list or an object is a failure.
func (in *renewalInput) text(field string) string {
	value, ok := in.params.Text(field)
	if !ok {
		in.fail(field, i18n.RenewalTextExpected)
	}
	return value
}

// absentQuantity is what an endpoint reads a request without quantity as.
type absentQuantity int

const (
	quantityOne      absentQuantity = iota // renew: one
	quantityKept                           // change: the subscription's own (0, see commands.SubscriptionSale)
	quantityRequired                       // gift renew: a failure
)

// quantity reads quantity; when absent, what absent says.
func (in *renewalInput) quantity(absent absentQuantity) int64 {
	n, given, err := in.params.Integer("quantity", absent == quantityRequired)
	switch {
	case errors.Is(err, errIntegerRequired):
		in.fail("quantity", i18n.Required("quantity"))
		return 1
	case err == nil && !given && absent == quantityKept:
		return 0
	case err == nil && !given:
		return 1
	case errors.Is(err, errNotInteger): // "abc", 2.5: no integer at all
		in.fail("quantity", i18n.RenewalQuantityInteger)
	case err != nil || n < 1 || n > subscription.MaxQuantity:
		in.fail("quantity", i18n.RenewalQuantityRange)
	}
	return n
}

// payment reads source_id, or gateway_token with payment_gateway (default stripe); neither is allowed.
// stripe_token is Stripe's older name of gateway_token, which Pelcro's own front end sends, as on create.
func (in *renewalInput) payment() commands.SubscriptionPayment {
	pay := commands.SubscriptionPayment{
		SourceID: sourceIDParam(in.params, in.failures),
		Token:    gatewayTokenParam(in.params, "gateway_token", in.failures),
		Gateway:  textParam(in.params, "payment_gateway", i18n.PaymentGatewayText, in.failures),
	}
	if pay.Token == "" {
		pay.Token = gatewayTokenParam(in.params, "stripe_token", in.failures)
	}
	return pay
}

// sale reads what renew, change and gift renew share: plan_id and subscription_id (required), quantity
// (when absent, as absent says), coupon_code, address_id and the payment.
func (in *renewalInput) sale(r *http.Request, absent absentQuantity) commands.SubscriptionSale {
	return commands.SubscriptionSale{Target: target(r),
		PlanID:         in.id("plan_id", true, i18n.RenewalPlanIDInteger),
		SubscriptionID: in.id("subscription_id", true, i18n.RenewalSubscriptionIDInteger),
		Quantity:       in.quantity(absent), CouponCode: in.text("coupon_code"),
		AddressID: in.id("address_id", false, i18n.RenewalAddressIDInteger), Payment: in.payment()}
}

// refused answers the failures, if any, in the validation shape and reports whether it did.
func (in *renewalInput) refused(w http.ResponseWriter, r *http.Request) bool {
	if len(in.failures) == 0 {
		return false
	}
	writeValidation(w, r, in.failures)
	return true
}
