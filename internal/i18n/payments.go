package i18n

// Messages of the payment endpoints (spec 2.6, 1.10; docs/payments.md). The decline texts are Stripe's own
// (commerce convention 1): front ends and scripts match the English wording, so keep it exactly.
const (
	CardDeclined            MessageID = "payments.declined.card_declined"
	CardInsufficientFunds   MessageID = "payments.declined.insufficient_funds"
	CardExpired             MessageID = "payments.declined.expired_card"
	CardIncorrectCVC        MessageID = "payments.declined.incorrect_cvc"
	CardProcessingError     MessageID = "payments.declined.processing_error"
	PaymentTokenInvalid     MessageID = "payments.declined.invalid_token"
	GatewayUnavailable      MessageID = "payments.gateway_unavailable"
	PaymentMethodNotFound   MessageID = "payments.payment_method.not_found"
	PaymentMethodPending    MessageID = "payments.payment_method.awaiting_authentication"
	PaymentMethodsTooMany   MessageID = "payments.payment_method.too_many"
	PaymentMethodIsDefault  MessageID = "payments.payment_method.default_not_deletable"
	PaymentMethodInUse      MessageID = "payments.payment_method.in_use"
	IntentNotFound          MessageID = "payments.intent.not_found"
	WebhookSignatureInvalid MessageID = "payments.webhook.signature_invalid"
)

// Field messages of the payment endpoints: "payments.<field>.<rule>".
const (
	PaymentGatewayInvalid MessageID = "payments.payment_gateway.invalid"
	// PaymentGatewayText refuses a payment_gateway that is no text (a boolean, list or object), on every
	// endpoint that takes one (cards, invoices, orders).
	PaymentGatewayText       MessageID = "payments.payment_gateway.string"
	IsDefaultRequiredWithout MessageID = "payments.is_default.required_without"
	ExpMonthRequired         MessageID = "payments.exp_month.required"
	ExpMonthInvalid          MessageID = "payments.exp_month.invalid"
	ExpYearRequired          MessageID = "payments.exp_year.required"
	ExpYearInvalid           MessageID = "payments.exp_year.invalid"
	ExpiryPast               MessageID = "payments.exp_year.past"
	CCExpFormat              MessageID = "payments.cc_exp.format"
	CCExpPast                MessageID = "payments.cc_exp.past"
)
