package invoice_test

import (
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
)

var ann = invoice.Pay{CustomerID: 42, AccountID: 3, Means: visa}

func TestPayingAnInvoice(t *testing.T) {
	t.Parallel()
	declined := invoice.PaymentDeclined{InvoiceID: 7, Attempt: 1, Reason: "card_declined", DeclinedAt: later}
	paid := invoice.Paid{InvoiceID: 7, CustomerID: 42, Attempt: 2, ChargeID: "ch_1", Gateway: "stripe", Amount: 1250,
		Currency: "usd", Card: invoice.Card{Brand: "visa", Last4: "4242"}, PaidAt: later}
	cases := []struct {
		name    string
		given   []invoice.Event
		pay     invoice.Pay
		want    []invoice.Event
		refusal error
	}{
		{"the first attempt of an open invoice", []invoice.Event{created(invoice.StatusOpen, 1250)}, ann,
			[]invoice.Event{attempted(1, visa)}, nil},
		{"a new attempt after a decline", []invoice.Event{created(invoice.StatusOpen, 1250), attempted(1, visa), declined}, ann,
			[]invoice.Event{attempted(2, visa)}, nil},
		{"nothing while an attempt is pending: it is settled first", []invoice.Event{created(invoice.StatusOpen, 1250), attempted(1, visa)}, ann,
			nil, nil},
		{"another customer's invoice does not exist for them", []invoice.Event{created(invoice.StatusOpen, 1250)},
			invoice.Pay{CustomerID: 43, AccountID: 3, Means: visa}, nil, invoice.ErrNotFound},
		{"nor in another account", []invoice.Event{created(invoice.StatusOpen, 1250)},
			invoice.Pay{CustomerID: 42, AccountID: 4, Means: visa}, nil, invoice.ErrNotFound},
		{"an unknown invoice", nil, ann, nil, invoice.ErrNotFound},
		{"a draft is not shown to customers", []invoice.Event{created(invoice.StatusDraft, 1250)}, ann, nil, invoice.ErrNotFound},
		{"a paid invoice", []invoice.Event{created(invoice.StatusOpen, 1250), attempted(2, visa), paid}, ann, nil, invoice.ErrAlreadyPaid},
		{"a void invoice", []invoice.Event{created(invoice.StatusOpen, 1250), invoice.Voided{InvoiceID: 7, VoidedAt: later}}, ann,
			nil, invoice.ErrVoid},
		{"an uncollectible invoice", []invoice.Event{created(invoice.StatusOpen, 1250),
			invoice.MarkedUncollectible{InvoiceID: 7, MarkedAt: later}}, ann, nil, invoice.ErrUncollectible},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			outcome := spec.Given(tc.given...).When(func(s invoice.State) ([]invoice.Event, error) {
				return invoice.AttemptPayment(s, tc.pay, later)
			})
			if tc.refusal != nil {
				outcome.ThenError(t, tc.refusal)
				return
			}
			outcome.Then(t, tc.want...)
		})
	}
}

func TestSettlingAnAttempt(t *testing.T) {
	t.Parallel()
	pending := []invoice.Event{created(invoice.StatusOpen, 1250), attempted(1, visa)}
	charged := invoice.Charged{Attempt: 1, ChargeID: "ch_1", Gateway: "stripe", Card: invoice.Card{Brand: "visa", Last4: "4242"}}
	paid := invoice.Paid{InvoiceID: 7, CustomerID: 42, Attempt: 1, ChargeID: "ch_1", Gateway: "stripe", Amount: 1250,
		Currency: "usd", Card: charged.Card, PaidAt: later}
	waiting := invoice.PaymentRequiresAction{InvoiceID: 7, Attempt: 1, IntentID: "pi_1", At: later}
	cases := []struct {
		name    string
		given   []invoice.Event
		decide  func(invoice.State) ([]invoice.Event, error)
		want    []invoice.Event
		refusal error
	}{
		{"a charge pays the pending attempt", pending,
			func(s invoice.State) ([]invoice.Event, error) { return invoice.RecordCharge(s, charged, later) }, []invoice.Event{paid}, nil},
		{"a charge recorded already is not recorded again", append(pending, paid),
			func(s invoice.State) ([]invoice.Event, error) { return invoice.RecordCharge(s, charged, later) }, nil, nil},
		{"a decline closes the attempt", pending,
			func(s invoice.State) ([]invoice.Event, error) {
				return invoice.RecordDecline(s, 1, "expired_card", later)
			},
			[]invoice.Event{invoice.PaymentDeclined{InvoiceID: 7, Attempt: 1, Reason: "expired_card", DeclinedAt: later}}, nil},
		{"what the gateway said is kept as a read model can hold it", pending,
			func(s invoice.State) ([]invoice.Event, error) {
				return invoice.RecordCharge(s, invoice.Charged{Attempt: 1, ChargeID: "ch_\x001", Gateway: "stripe\xff",
					Card: invoice.Card{Brand: "vi\u2028sa", Last4: "4242\n"}}, later)
			}, []invoice.Event{paid}, nil},
		{"a decline of an attempt no longer pending is ignored", append(pending, paid),
			func(s invoice.State) ([]invoice.Event, error) {
				return invoice.RecordDecline(s, 1, "card_declined", later)
			}, nil, nil},
		{"a 3-D Secure intent is noted once", pending,
			func(s invoice.State) ([]invoice.Event, error) {
				return invoice.RecordRequiresAction(s, 1, "pi_1", invoice.Card{}, later)
			},
			[]invoice.Event{waiting}, nil},
		{"and not twice", append(pending, waiting),
			func(s invoice.State) ([]invoice.Event, error) {
				return invoice.RecordRequiresAction(s, 1, "pi_1", invoice.Card{}, later)
			}, nil, nil},
		{"a 3-D Secure intent is noted with the card it will charge", pending,
			func(s invoice.State) ([]invoice.Event, error) {
				return invoice.RecordRequiresAction(s, 1, "pi_1", charged.Card, later)
			},
			[]invoice.Event{withCard(waiting, charged.Card)}, nil},
		{"its completion, which names no card, pays with that card", append(pending, withCard(waiting, charged.Card)),
			func(s invoice.State) ([]invoice.Event, error) {
				return invoice.RecordCharge(s, invoice.Charged{Attempt: 1, ChargeID: "ch_1", Gateway: "stripe"}, later)
			}, []invoice.Event{paid}, nil},
		{"a pending attempt forbids voiding", pending,
			func(s invoice.State) ([]invoice.Event, error) { return invoice.Void(s, later) }, nil, invoice.ErrPaymentPending},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			outcome := spec.Given(tc.given...).When(tc.decide)
			if tc.refusal != nil {
				outcome.ThenError(t, tc.refusal)
				return
			}
			outcome.Then(t, tc.want...)
		})
	}
}

func TestTheIntentOfAnAttempt(t *testing.T) {
	t.Parallel()
	var s invoice.State
	for _, e := range []invoice.Event{created(invoice.StatusOpen, 1250), attempted(1, visa),
		invoice.PaymentRequiresAction{InvoiceID: 7, Attempt: 1, IntentID: "pi_1", At: later}} {
		s = invoice.Evolve(s, e)
	}
	if n, ok := s.AttemptOfIntent("pi_1"); !ok || n != 1 {
		t.Errorf("AttemptOfIntent(pi_1) = %d, %v; want attempt 1", n, ok)
	}
	if _, ok := s.AttemptOfIntent("pi_2"); ok {
		t.Error("another intent names the attempt")
	}
	if got, want := s.GatewayKey(1), "invoice-7-attempt-1"; got != want {
		t.Errorf("GatewayKey(1) = %q, want %q", got, want)
	}
}

// withCard is the requires-action event naming the card the intent will charge.
func withCard(e invoice.PaymentRequiresAction, card invoice.Card) invoice.PaymentRequiresAction {
	e.Card = card
	return e
}
