package transport

import (
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// gatewayTokenParam is the one rule for a single-use gateway token in a body, whatever the endpoint calls it
// (token on POST /payment_methods and POST /source, gateway_token and its older name stripe_token on
// invoices, subscriptions, renewals and orders): absent, null and "" are all "no token", "" returned, and the
// endpoint's own rule for a missing token applies (a 404 on the card endpoints, a 400 or another means of
// payment elsewhere); a value that is no text by the API's one rule (Params.Text: a boolean, a list, an
// object) is a failure of the field, "The gateway token must be a string.". A number is its text, as for
// every text field, and the gateway refuses it as it refuses any token it did not issue. Keep every
// endpoint on this function: answers that differ by endpoint for the same token were reported as bugs.
func gatewayTokenParam(params Params, name string, failures fieldErrors) string {
	token, ok := params.Text(name)
	if !ok {
		failures[name] = []i18n.MessageID{i18n.GatewayTokenNotText}
		return ""
	}
	return token
}

// sourceIDParam is the one rule for source_id, the saved card a body pays with (invoice pay, subscription
// create, renew, change and gift renew, e-commerce order): absent, null and "" are all "no source", 0
// returned, and the endpoint's own rule for a missing means of payment applies; a value that is not an
// integer is "The source id must be an integer.", and an integer of 0 or less, which no card has, "The
// source id must be at least 1.", both 400 before any business rule. A positive id that names no card of
// the customer's is the command's 404. Keep every endpoint on this function, as for gateway tokens.
func sourceIDParam(params Params, failures fieldErrors) int64 {
	id, given, err := params.Integer("source_id", false)
	switch {
	case err != nil:
		failures["source_id"] = []i18n.MessageID{i18n.SourceIDInteger}
	case !given:
		return 0
	case id <= 0:
		failures["source_id"] = []i18n.MessageID{i18n.SourceIDMin}
	default:
		return id
	}
	return 0
}
