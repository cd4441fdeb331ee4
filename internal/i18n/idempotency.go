package i18n

// Messages of the Idempotency-Key header (docs/http-conventions.md). The mismatch text is Stripe's, which
// client libraries already recognise: keep the English wording exactly.
const (
	IdempotencyKeyInvalid  MessageID = "idempotency.key_invalid"
	IdempotencyKeyMismatch MessageID = "idempotency.key_mismatch"
	IdempotencyKeyInFlight MessageID = "idempotency.key_in_flight"
)
