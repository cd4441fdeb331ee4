package sandbox

import (
	"crypto/sha256"
	"encoding/hex"
	"strings"

	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// testCard is how one of Stripe's documented test tokens behaves in the sandbox. Scripts and tests outside
// the code rely on this table (docs/payment-gateways.md lists it): change a row only with them.
type testCard struct {
	brand string
	last4 string
	// refusal declines the card when it is saved or charged.
	refusal payments.DeclineReason
	// refusesCharges lets the card be saved and declines every charge of it (dunning tests).
	refusesCharges bool
	// needsAuthentication asks for 3-D Secure when the card is saved or charged from its token.
	needsAuthentication bool
}

// testCards is keyed by the token's name without its tok_ or pm_card_ prefix.
var testCards = map[string]testCard{
	"visa":                            {brand: "visa", last4: "4242"},
	"mastercard":                      {brand: "mastercard", last4: "4444"},
	"amex":                            {brand: "amex", last4: "8431"},
	"chargeDeclined":                  {brand: "visa", last4: "0002", refusal: payments.CardDeclined},
	"chargeDeclinedInsufficientFunds": {brand: "visa", last4: "9995", refusal: payments.InsufficientFunds},
	"chargeDeclinedExpiredCard":       {brand: "visa", last4: "0069", refusal: payments.ExpiredCard},
	"chargeDeclinedIncorrectCvc":      {brand: "visa", last4: "0127", refusal: payments.IncorrectCVC},
	"chargeDeclinedProcessingError":   {brand: "visa", last4: "0119", refusal: payments.ProcessingError},
	"chargeCustomerFail":              {brand: "visa", last4: "0341", refusesCharges: true},
	"threeDSecure2Required":           {brand: "visa", last4: "3184", needsAuthentication: true},
}

// Every test card expires in December of this year: fixed, so answers never depend on the clock, and far
// enough ahead that `cc_exp`-style checks accept it for years.
const (
	testExpMonth = 12
	testExpYear  = 2040
)

// lookupToken finds the test card a token names, accepting both tok_visa and pm_card_visa.
func lookupToken(token string) (name string, card testCard, ok bool) {
	for _, prefix := range []string{"tok_", "pm_card_"} {
		if rest, found := strings.CutPrefix(token, prefix); found {
			card, ok = testCards[rest]
			return rest, card, ok
		}
	}
	return "", testCard{}, false
}

// details is what the gateway tells about the card, as Stripe would; savedID names the saved card, empty
// for a card charged straight from its token.
func (c testCard) details(name, savedID string) payments.Card {
	fingerprint := sha256.Sum256([]byte("sandbox card " + name))
	return payments.Card{
		GatewayID:   savedID,
		Brand:       c.brand,
		Last4:       c.last4,
		ExpMonth:    testExpMonth,
		ExpYear:     testExpYear,
		Country:     "US",
		Funding:     "credit",
		Fingerprint: hex.EncodeToString(fingerprint[:8]),
	}
}
