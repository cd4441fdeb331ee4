package transport

import (
	"encoding/json"
	"errors"
	"regexp"
	"strings"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// subscriptionInput reads POST /subscription's body (#27). Only the shapes are checked here (integers,
// strings, lists, the gift date); the value rules are the aggregate's (subscription.New.Problems), checked
// by the command with the plan known. A body with a malformed field is answered here, so it also reports
// the value rules the other fields break (NewSubscription.InputProblems): one answer names them all.
func subscriptionInput(params Params) (commands.NewSubscription, fieldErrors) {
	failures := fieldErrors{}
	in := commands.NewSubscription{}
	in.PlanID = positiveInt(params, "plan_id", true, failures)
	in.SourceID = sourceIDParam(params, failures)
	in.AddressID = positiveInt(params, "address_id", false, failures)
	if params.Has("quantity") {
		in.Quantity = positiveInt(params, "quantity", false, failures)
		if _, given, err := params.Integer("quantity", false); given && err == nil && in.Quantity == 0 { // out of range
			failures["quantity"] = []i18n.MessageID{i18n.SubscriptionInvalid(string(subscription.RuleQuantity))}
		}
	}
	in.Gateway = textParam(params, "payment_gateway", i18n.PaymentGatewayText, failures)
	in.Token = gatewayTokenParam(params, "gateway_token", failures)
	if in.Token == "" { // Stripe's older field name for the same single-use token
		in.Token = gatewayTokenParam(params, "stripe_token", failures)
	}
	if send := params.Has("pay_via_send_invoice"); send {
		value, ok := boolParam(params, "pay_via_send_invoice")
		if !ok {
			failures["pay_via_send_invoice"] = []i18n.MessageID{i18n.SubscriptionInvalid("boolean")}
		}
		in.SendInvoice = value
	}
	in.CouponCode = subscriptionText(params, "coupon_code", failures)
	in.CampaignKey = subscriptionText(params, "campaign_key", failures)
	in.Metadata = stringMap(params, "metadata", failures)
	in.Domains = stringList(params, "domains", failures)
	in.IPAddresses = stringList(params, "ip_addresses", failures)
	in.Gift = subscription.Gift{RecipientEmail: subscriptionText(params, "gift_recipient_email", failures),
		RecipientFirstName: subscriptionText(params, "gift_recipient_first_name", failures),
		RecipientLastName:  subscriptionText(params, "gift_recipient_last_name", failures),
		Message:            subscriptionText(params, "gift_message", failures)}
	if day := subscriptionText(params, "gift_start_date", failures); day != "" {
		start, err := time.Parse(time.DateOnly, day)
		if err != nil {
			failures["gift_start_date"] = []i18n.MessageID{i18n.SubscriptionInvalid(string(subscription.RuleDate))}
		}
		in.GiftStart = start
	}
	if len(failures) > 0 { // the answer names every bad field: the value rules' too, on the fields read well
		for field, messages := range subscriptionFieldErrors(in.InputProblems()) {
			if _, malformed := failures[field]; !malformed {
				failures[field] = messages
			}
		}
	}
	return in, failures
}

// positiveInt reads an integer id (1 or more); 0 when absent. A missing required one, one that is no
// integer (or too large to name anything) and one below 1 are failures of its field, each with its words.
func positiveInt(params Params, name string, required bool, failures fieldErrors) int64 {
	n, given, err := params.Integer(name, required)
	switch {
	case errors.Is(err, errIntegerRequired):
		failures[name] = []i18n.MessageID{i18n.Required(name)}
		return 0
	case err == nil && !given:
		return 0
	case err == nil && n < 1:
		failures[name] = []i18n.MessageID{i18n.SubscriptionInvalid("positive")}
		return 0
	case err != nil || n > maxSubscriptionID:
		failures[name] = []i18n.MessageID{i18n.SubscriptionInvalid("integer")}
		return 0
	}
	return n
}

// maxSubscriptionID bounds the integer fields (int32 in the Open API): larger values name nothing.
const maxSubscriptionID = 1<<31 - 1

// subscriptionText reads an optional text field (Params.Text); "" when absent or null. A boolean, a list or
// an object is a failure; a number is its text (a coupon code of 123 is the code "123").
func subscriptionText(params Params, name string, failures fieldErrors) string {
	value, ok := params.Text(name)
	if !ok {
		failures[name] = []i18n.MessageID{i18n.SubscriptionInvalid("string")}
	}
	return value
}

// stringList reads an optional list of strings (JSON array, or name[] in forms).
func stringList(params Params, name string, failures fieldErrors) []string {
	raw, ok := params.Raw(name)
	if !ok {
		return nil
	}
	var list []string
	if json.Unmarshal(raw, &list) != nil {
		failures[name] = []i18n.MessageID{i18n.SubscriptionInvalid("array")}
	}
	return list
}

// stringMap reads an optional object of strings.
func stringMap(params Params, name string, failures fieldErrors) map[string]string {
	raw, ok := params.Raw(name)
	if !ok {
		return nil
	}
	var m map[string]string
	if json.Unmarshal(raw, &m) != nil {
		failures[name] = []i18n.MessageID{i18n.SubscriptionInvalid("object")}
	}
	return m
}

// indexSuffix is the "[i]" TextProblems gives a list element.
var indexSuffix = regexp.MustCompile(`\[\d+\]$`)

// subscriptionFieldErrors words the aggregate's problems under the request's field names: a list element
// counts for its list, the gift's fields are gift_*.
func subscriptionFieldErrors(problems aggregates.FieldProblems) fieldErrors {
	failures := fieldErrors{}
	for _, p := range problems {
		field := strings.Replace(indexSuffix.ReplaceAllString(p.Field, ""), "gift.", "gift_", 1)
		message := i18n.SubscriptionInvalid(string(p.Rule))
		if p.Rule == subscription.RuleRequired {
			message = i18n.Required(field)
		}
		failures[field] = append(failures[field], message)
	}
	return failures
}
