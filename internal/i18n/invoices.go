package i18n

// Messages of invoice pay (spec 2.7, rule 24; docs/invoices.md). Declines and gateway failures use the
// payment messages (payments.go).
const (
	InvoiceNotFound         MessageID = "invoices.not_found"
	InvoiceAlreadyPaid      MessageID = "invoices.already_paid"
	InvoiceVoid             MessageID = "invoices.void"
	InvoiceUncollectible    MessageID = "invoices.uncollectible"
	SourceIDRequiredWithout MessageID = "invoices.source_id.required_without"
	// SourceIDInteger and SourceIDMin word a malformed source_id on every endpoint that takes one, not only
	// invoice pay (transport's sourceIDParam).
	SourceIDInteger        MessageID = "invoices.source_id.integer"
	SourceIDMin            MessageID = "invoices.source_id.min" // an integer, but 0 or less: no source has it
	GatewayTokenNotText    MessageID = "invoices.gateway_token.string"
	PaymentGatewayRequired MessageID = "invoices.payment_gateway.required_with"
)
