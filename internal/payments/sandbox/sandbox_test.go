package sandbox_test

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/payments"
	"github.com/pelcro-oss/pelcro-api/internal/payments/paymentstest"
	"github.com/pelcro-oss/pelcro-api/internal/payments/sandbox"
	"github.com/pelcro-oss/pelcro-api/internal/pg"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest/migratedtest"
)

// newDatabase opens a fresh migrated database; each call on one URL is another process's pool.
func newDatabase(t *testing.T) string {
	t.Helper()
	return migratedtest.NewDatabase(t)
}

func open(t *testing.T, dsn string) *sql.DB {
	t.Helper()
	db, err := pg.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = db.Close() })
	return db.DB
}

func TestSandboxKeepsTheGatewayContract(t *testing.T) {
	t.Parallel()
	dsn := newDatabase(t)
	closed := open(t, dsn)
	_ = closed.Close()
	// `pelcro payments confirm` runs in a process of its own: confirm through another pool on the database
	confirmer := sandbox.New(open(t, dsn))
	paymentstest.Run(t, paymentstest.Target{
		Gateway:     sandbox.New(open(t, dsn)),
		Unreachable: sandbox.New(closed),
		TestMode:    true,
		Confirm: func(ctx context.Context, id string) error {
			_, err := confirmer.Confirm(ctx, id)
			return err
		},
	})
}

func TestARetriedChargeTakesMoneyOnce(t *testing.T) {
	t.Parallel()
	db := open(t, newDatabase(t))
	g := sandbox.New(db)
	req := payments.ChargeRequest{Token: "tok_visa", Amount: payments.Money{Amount: 4200, Currency: "usd"}, IdempotencyKey: "invoice-9-attempt-1"}
	// when 16 attempts with one key arrive at once (a client retrying after timeouts, on several instances)
	ids := make([]string, 16)
	var wg sync.WaitGroup
	for i := range ids {
		wg.Go(func() {
			charge, err := g.Charge(t.Context(), req)
			if err != nil {
				t.Error(err)
			}
			ids[i] = charge.GatewayID
		})
	}
	wg.Wait()
	// then every attempt is told of one charge, and one charge was taken
	for _, id := range ids {
		if id != ids[0] {
			t.Fatalf("charge ids %v, want one", ids)
		}
	}
	var taken int
	if err := db.QueryRow(`SELECT count(*) FROM payments_sandbox_charges`).Scan(&taken); err != nil || taken != 1 {
		t.Fatalf("%d charges taken (%v), want 1", taken, err)
	}
}

func TestRequestsTheSandboxCannotActOn(t *testing.T) {
	t.Parallel()
	g := sandbox.New(open(t, newDatabase(t)))
	charge, err := g.Charge(t.Context(), payments.ChargeRequest{Token: "tok_visa", Amount: payments.Money{Amount: 1000, Currency: "usd"}, IdempotencyKey: "paid"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		call func() error
		want error
	}{
		{"a charge without key", func() error {
			_, err := g.Charge(t.Context(), payments.ChargeRequest{Token: "tok_visa", Amount: payments.Money{Amount: 100, Currency: "usd"}})
			return err
		}, sandbox.ErrInvalidRequest},
		{"a charge of nothing", func() error {
			_, err := g.Charge(t.Context(), payments.ChargeRequest{Token: "tok_visa", Amount: payments.Money{Currency: "usd"}, IdempotencyKey: "zero"})
			return err
		}, sandbox.ErrInvalidRequest},
		{"a charge in an uppercase currency", func() error {
			_, err := g.Charge(t.Context(), payments.ChargeRequest{Token: "tok_visa", Amount: payments.Money{Amount: 100, Currency: "USD"}, IdempotencyKey: "upper"})
			return err
		}, sandbox.ErrInvalidRequest},
		{"a refund beyond the charge", func() error {
			_, err := g.Refund(t.Context(), payments.RefundRequest{ChargeGatewayID: charge.GatewayID, Amount: payments.Money{Amount: 1001, Currency: "usd"}, IdempotencyKey: "too much"})
			return err
		}, sandbox.ErrInvalidRequest},
		{"a refund in another currency", func() error {
			_, err := g.Refund(t.Context(), payments.RefundRequest{ChargeGatewayID: charge.GatewayID, Amount: payments.Money{Amount: 10, Currency: "eur"}, IdempotencyKey: "eur"})
			return err
		}, sandbox.ErrInvalidRequest},
		{"a refund of an unknown charge", func() error {
			_, err := g.Refund(t.Context(), payments.RefundRequest{ChargeGatewayID: "pi_unknown", Amount: payments.Money{Amount: 10, Currency: "usd"}, IdempotencyKey: "unknown"})
			return err
		}, sandbox.ErrInvalidRequest},
		{"a key reused for another request", func() error {
			_, err := g.Charge(t.Context(), payments.ChargeRequest{Token: "tok_amex", Amount: payments.Money{Amount: 1000, Currency: "usd"}, IdempotencyKey: "paid"})
			return err
		}, sandbox.ErrKeyReused},
		{"a confirmation of an unknown intent", func() error {
			_, err := g.Confirm(t.Context(), "seti_unknown")
			return err
		}, payments.ErrUnknownIntent},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if err := tt.call(); !errors.Is(err, tt.want) {
				t.Errorf("error %v, want %v", err, tt.want)
			}
		})
	}
}

func TestRefundsAddUpToTheCharge(t *testing.T) {
	t.Parallel()
	g := sandbox.New(open(t, newDatabase(t)))
	charge, err := g.Charge(t.Context(), payments.ChargeRequest{Token: "tok_visa", Amount: payments.Money{Amount: 1000, Currency: "usd"}, IdempotencyKey: "charge"})
	if err != nil {
		t.Fatal(err)
	}
	refund := func(key string, amount int64) error {
		_, err := g.Refund(t.Context(), payments.RefundRequest{ChargeGatewayID: charge.GatewayID, Amount: payments.Money{Amount: amount, Currency: "usd"}, IdempotencyKey: key})
		return err
	}
	// given 600 of 1000 refunded, the refund retried once
	for _, key := range []string{"first", "first"} {
		if err := refund(key, 600); err != nil {
			t.Fatal(err)
		}
	}
	// then 400 are left to refund, not 0 and not 401
	if err := refund("too much", 401); !errors.Is(err, sandbox.ErrInvalidRequest) {
		t.Errorf("refund of 401: %v, want sandbox.ErrInvalidRequest", err)
	}
	if err := refund("rest", 400); err != nil {
		t.Errorf("refund of the last 400: %v", err)
	}
}

func TestARefusedCardIsNotSavedAndACardServesOnlyItsCustomer(t *testing.T) {
	t.Parallel()
	db := open(t, newDatabase(t))
	g := sandbox.New(db)
	// given a refused card and a visa saved for customer 1
	if _, err := g.AttachCard(t.Context(), payments.AttachCardRequest{Customer: payments.Customer{ID: 1}, Token: "tok_chargeDeclined", IdempotencyKey: "refused"}); err == nil {
		t.Fatal("tok_chargeDeclined was saved")
	}
	visa, err := g.AttachCard(t.Context(), payments.AttachCardRequest{Customer: payments.Customer{ID: 1}, Token: "tok_visa", IdempotencyKey: "visa"})
	if err != nil {
		t.Fatal(err)
	}
	// then only the visa is on file
	var saved int
	if err := db.QueryRow(`SELECT count(*) FROM payments_sandbox_cards`).Scan(&saved); err != nil || saved != 1 {
		t.Fatalf("%d cards saved (%v), want 1", saved, err)
	}
	// when customer 2 tries to charge customer 1's card
	_, err = g.Charge(t.Context(), payments.ChargeRequest{
		CustomerGatewayID: "cus_someoneElse", CardGatewayID: visa.Card.GatewayID,
		Amount: payments.Money{Amount: 100, Currency: "usd"}, IdempotencyKey: "stolen",
	})
	// then the card is unknown to them
	var declined *payments.Declined
	if !errors.As(err, &declined) || declined.Reason != payments.InvalidToken {
		t.Errorf("charge of another customer's card: %v, want an invalid token", err)
	}
}
