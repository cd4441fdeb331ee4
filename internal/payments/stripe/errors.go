package stripe

import (
	"errors"
	"fmt"

	stripeapi "github.com/stripe/stripe-go/v85"

	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// ErrKeyReused is Stripe's idempotency_error: a key sent again with other parameters. The caller derived
// the same key for two different payments, which is a bug to fix, not a retry to make.
var ErrKeyReused = errors.New("stripe: idempotency key reused with other parameters")

// failure turns what stripe-go returned into the port's errors: card errors into declines, a missing token
// or payment method (when the request named one the customer gave) into an invalid token, and anything
// whose outcome is unknown (no answer, a 5xx, rate limiting) into payments.ErrUnavailable so the caller
// retries with the same key.
func failure(err error, aboutToken bool) error {
	var apiErr *stripeapi.Error
	if !errors.As(err, &apiErr) {
		return fmt.Errorf("%w: stripe: %w", payments.ErrUnavailable, err)
	}
	switch {
	case apiErr.Type == stripeapi.ErrorTypeCard:
		return &payments.Declined{Reason: declineReason(apiErr)}
	case apiErr.HTTPStatusCode >= 500 || apiErr.HTTPStatusCode == 429 || apiErr.Type == stripeapi.ErrorTypeAPI:
		return fmt.Errorf("%w: stripe: %s", payments.ErrUnavailable, apiErr.Msg)
	case apiErr.Type == stripeapi.ErrorTypeIdempotency:
		return fmt.Errorf("%w: %s", ErrKeyReused, apiErr.Msg)
	case aboutToken && apiErr.Code == stripeapi.ErrorCodeResourceMissing && apiErr.Param != "customer":
		return &payments.Declined{Reason: payments.InvalidToken}
	}
	return fmt.Errorf("stripe: %s (%s %s, HTTP %d)", apiErr.Msg, apiErr.Type, apiErr.Code, apiErr.HTTPStatusCode)
}

// declineReason maps Stripe's error and decline codes onto the reasons the API has messages for; a code
// without its own message is a plain decline, as Stripe advises to show it.
func declineReason(e *stripeapi.Error) payments.DeclineReason {
	for _, code := range []string{string(e.DeclineCode), string(e.Code)} {
		switch code {
		case string(stripeapi.DeclineCodeInsufficientFunds):
			return payments.InsufficientFunds
		case string(stripeapi.ErrorCodeExpiredCard):
			return payments.ExpiredCard
		case string(stripeapi.ErrorCodeIncorrectCVC):
			return payments.IncorrectCVC
		case string(stripeapi.ErrorCodeProcessingError):
			return payments.ProcessingError
		}
	}
	return payments.CardDeclined
}
