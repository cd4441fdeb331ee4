package payments

import "errors"

// DeclineReason is why a gateway refused a card. The commands turn it into the documented 404 message (in the
// customer's language), so adapters must map their processor's codes onto these and nothing else.
type DeclineReason string

const (
	CardDeclined      DeclineReason = "card_declined"
	InsufficientFunds DeclineReason = "insufficient_funds"
	ExpiredCard       DeclineReason = "expired_card"
	IncorrectCVC      DeclineReason = "incorrect_cvc"
	ProcessingError   DeclineReason = "processing_error"
	InvalidToken      DeclineReason = "invalid_token"
)

// Declined is a refusal of the card itself: retrying the same request gives the same answer.
type Declined struct {
	Reason DeclineReason
}

func (d *Declined) Error() string { return "payments: card refused: " + string(d.Reason) }

// ErrUnavailable wraps failures where the outcome is unknown (a timeout, a 5xx, a broken connection): the
// caller retries with the same idempotency key, which the gateway answers with the first outcome.
var ErrUnavailable = errors.New("payments: gateway unavailable")

// ErrUnknownIntent is returned by Intent for an id the gateway does not know.
var ErrUnknownIntent = errors.New("payments: unknown intent")
