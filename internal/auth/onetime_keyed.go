package auth

// OneTimeTokens mints and reads one-time tokens under one key (Keys.OneTime). It is the form the customer
// commands and the mail outbox take them in, so both derive the very same token from an event's nonce.
type OneTimeTokens struct {
	Key []byte
}

// NewNonce returns the random part an issued-token event records (see NewNonce).
func (OneTimeTokens) NewNonce() string { return NewNonce() }

// Token derives the token of a customer, purpose and nonce (see OneTimeToken).
func (o OneTimeTokens) Token(customerID int64, purpose, nonce string) string {
	return OneTimeToken(o.Key, customerID, purpose, nonce)
}

// Hash is what events store of a token (see HashOneTimeToken).
func (OneTimeTokens) Hash(token string) string { return HashOneTimeToken(token) }

// CustomerOf reads the customer id a token names (see ParseOneTimeToken).
func (OneTimeTokens) CustomerOf(token string) (int64, error) { return ParseOneTimeToken(token) }
