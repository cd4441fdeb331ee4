package transport

import "github.com/pelcro-oss/pelcro-api/internal/i18n"

// gatewayTokenParam is the one rule for a single-use gateway token in a body, whatever the endpoint calls it
// (token on POST /payment_methods and POST /source, gateway_token and its older name stripe_token on
// invoices, subscriptions, renewals and orders): absent, null and "" are all "no token", "" returned, and the
// endpoint's own rule for a missing token applies (a 404 on the card endpoints, a 400 or another means of
// payment elsewhere); a value given as anything but text (a boolean, a number, a list, an object) is a
// failure of the field, "The gateway token must be a string.", since no gateway issues such a token. A
// form value is always text. Keep every endpoint on this function: answers that differ by endpoint for the
// same token were reported as bugs.
func gatewayTokenParam(params Params, name string, failures fieldErrors) string {
	token, ok := params.Text(name)
	if !ok {
		failures[name] = []i18n.MessageID{i18n.GatewayTokenNotText}
		return ""
	}
	return token
}
