package invoice

// State is one invoice as its events describe it. The zero value means "does not exist".
type State struct {
	ID         int64
	CustomerID int64
	AccountID  int64
	SiteID     int64
	// SubscriptionID is the subscription the invoice bills (0: none); OrderID the e-commerce order (0: none,
	// or an order's invoice opened before invoices named their order).
	SubscriptionID int64
	OrderID        int64
	Status         Status
	Currency       string
	Total          int64
	// Attempts is the number of the last payment attempt (0: none yet).
	Attempts int
	// Pending is the attempt with no final outcome yet (none when nil): its charge may or may not have
	// happened at the gateway, or it waits for the customer's 3-D Secure authentication.
	Pending *Attempt
	// ChargeID and ChargeGateway are the gateway charge that paid the invoice, and AmountPaid what it took;
	// empty for an invoice paid without a charge. Refunds is each refund by its key (see Refunded): of that
	// charge, or of a charge the invoice did not owe (a late 3-D Secure intent, see CompleteIntent).
	ChargeID      string
	ChargeGateway string
	AmountPaid    int64
	Refunds       map[string]Refund
	// Waited is every attempt that waited for a 3-D Secure intent, by the intent's id, kept after the attempt
	// was settled: an intent may still succeed at the gateway after its attempt was given up.
	Waited map[string]Attempt
	// Declined is the decline reason of the last attempt when that attempt was refused, so a command
	// retried after its attempt was settled can give the same answer; empty otherwise.
	Declined string
}

// Attempt is a payment attempt still pending.
type Attempt struct {
	Number int
	Means  Means
	// IntentID is the 3-D Secure intent the attempt waits for; empty while the gateway's answer is unknown.
	// Card is the card the intent will charge, as the gateway described it.
	IntentID string
	Card     Card
}

// Exists reports whether the invoice was created.
func (s State) Exists() bool { return s.ID != 0 }

// BelongsTo reports whether the invoice is the customer's, in that account: anybody else must not learn
// that it exists.
func (s State) BelongsTo(customerID, accountID int64) bool {
	return s.Exists() && s.CustomerID == customerID && s.AccountID == accountID
}

// GatewayKey is the idempotency key of attempt n's charge at the gateway, "invoice-<id>-attempt-<n>".
// Warning: a stored contract with the gateway. Repeating a pending attempt must send the same key, so the
// gateway answers with its first outcome; changing the format charges customers twice.
func (s State) GatewayKey(n int) string {
	return "invoice-" + itoa(s.ID) + "-attempt-" + itoa(int64(n))
}

// Evolve folds one event into the state. It holds no rules: events are facts.
func Evolve(s State, e Event) State {
	switch e := e.(type) {
	case Created:
		return State{ID: e.InvoiceID, CustomerID: e.CustomerID, AccountID: e.AccountID, SiteID: e.SiteID,
			SubscriptionID: e.SubscriptionID, OrderID: e.OrderID, Status: e.Status, Currency: e.Currency, Total: e.Amounts.Total}
	case Finalized:
		s.Status = StatusOpen
	case Voided:
		s.Status, s.Pending = StatusVoid, nil
	case MarkedUncollectible:
		s.Status, s.Pending = StatusUncollectible, nil
	case PaymentAttempted:
		s.Attempts, s.Pending, s.Declined = e.Attempt, &Attempt{Number: e.Attempt, Means: e.Means}, ""
	case PaymentRequiresAction:
		if s.Pending != nil && s.Pending.Number == e.Attempt {
			pending := *s.Pending
			pending.IntentID, pending.Card = e.IntentID, e.Card
			s.Pending = &pending
			s = waitedFor(s, e.IntentID, pending)
		}
	case PaymentDeclined:
		s.Pending, s.Declined = nil, e.Reason
	case Paid:
		s.Status, s.Pending = StatusPaid, nil
		s.ChargeID, s.ChargeGateway, s.AmountPaid = e.ChargeID, e.Gateway, e.Amount
	case Refunded:
		s = refunded(s, e)
	}
	return s
}
