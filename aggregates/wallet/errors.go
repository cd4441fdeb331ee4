package wallet

import (
	"errors"
	"fmt"
)

// Refusals of the wallet's decisions. Transport words each one (docs/payments.md).
var (
	// ErrNotFound: the wallet has no card of that id (deleted ones included), or belongs to another account.
	ErrNotFound = errors.New("wallet: no such payment method")
	// ErrTooMany: the wallet holds MaxPaymentMethods cards already (rule 23).
	ErrTooMany = errors.New("wallet: too many payment methods")
	// ErrDefaultNotDeletable: the default card cannot be deleted; another one must become the default first.
	ErrDefaultNotDeletable = errors.New("wallet: the default payment method cannot be deleted")
	// ErrInUse: a subscription would charge the card next (State.InUse), which cannot be deleted.
	ErrInUse = errors.New("wallet: payment method used by a subscription")
	// ErrUnknownSetupIntent: no card of the wallet waits for that 3-D Secure setup intent.
	ErrUnknownSetupIntent = errors.New("wallet: no payment method waits for this setup intent")
	// ErrGatewayAnswer: the gateway described a card the read model could not hold (no id, an expiry out of
	// range, a control character): a defect of the adapter, refused before it reaches the log.
	ErrGatewayAnswer = errors.New("wallet: the gateway's card is malformed")
	// ErrExpiryMalformed: an expiry that is not a month and year (cc_exp not MM/YY, exp_month not 1–12).
	ErrExpiryMalformed = errors.New("wallet: malformed card expiry")
	// ErrExpiryMonth: exp_month not 1–12; ErrExpiryYear: exp_year not four digits. Both are ErrExpiryMalformed,
	// so the field at fault can be named.
	ErrExpiryMonth = fmt.Errorf("%w: the month is not 1 to 12", ErrExpiryMalformed)
	ErrExpiryYear  = fmt.Errorf("%w: the year is not four digits", ErrExpiryMalformed)
	// ErrExpiryPast: an expiry before the current month.
	ErrExpiryPast = errors.New("wallet: card expiry in the past")
)
