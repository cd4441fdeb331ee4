package i18n

// Messages of the customer endpoints (spec 2.2, 2.8) that are not about one input field. Field messages are
// "customer.<field>.<rule>" (locales/customer.<lang>.json), derived by transport from the customer
// aggregate's Problems and its own checks, except a required field's, which is Required's; transport's
// tests check every one it can produce exists.
const (
	AddressNotFound      MessageID = "customer.address.not_found"
	EmailAlreadyVerified MessageID = "customer.email.already_verified"
	// EmailVerificationOff answers a verification link asked on a site that does not verify emails.
	EmailVerificationOff    MessageID = "customer.email.verification_disabled"
	EmailVerifyTokenInvalid MessageID = "customer.email.verify_token_invalid"
	// AddressMoveTaxes and AddressMoveNotSold refuse moving the customer's subscriptions onto an address
	// (PUT /address with is_default_updated, spec #47): the site charges taxes, or a subscription's plan is
	// not sold in the address's country.
	AddressMoveTaxes   MessageID = "customer.address.move_taxes"
	AddressMoveNotSold MessageID = "customer.address.move_not_sold"
)
