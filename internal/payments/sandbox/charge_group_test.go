package sandbox_test

import (
	"context"
	"database/sql"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/internal/payments"
	"github.com/pelcro-oss/pelcro-api/internal/payments/sandbox"
)

// chargeAnswer is what one Charge answered.
type chargeAnswer struct {
	charge payments.Charge
	err    error
}

func TestChargesQueuedBehindOneInFlightAreRecordedTogetherAndEachAnsweredAsAlone(t *testing.T) {
	t.Parallel()
	usd := func(amount int64) payments.Money { return payments.Money{Amount: amount, Currency: "usd"} }
	cases := []struct {
		name string
		// queued are the charges that queue behind the one in flight, by key (a key may repeat)
		queued []payments.ChargeRequest
		// wantShared is the outcome of the one shared statement: true when it recorded them, false when it
		// sent each alone
		wantShared bool
		// wantCharges is how many charges the queued requests took in all
		wantCharges int
	}{
		{name: "new keys, a refusing card, a 3-D Secure card and a key seen before go together",
			queued: []payments.ChargeRequest{
				{Token: "tok_visa", Amount: usd(500), IdempotencyKey: "renewal-1"},
				{Token: "tok_chargeDeclined", Amount: usd(500), IdempotencyKey: "renewal-2"},
				{Token: "tok_threeDSecure2Required", Amount: usd(500), IdempotencyKey: "renewal-3"},
				{Token: "tok_visa", Amount: usd(900), IdempotencyKey: "seen"},
			}, wantShared: true, wantCharges: 2},
		{name: "a key twice in one group sends each alone: one charge, both told of it",
			queued: []payments.ChargeRequest{
				{Token: "tok_visa", Amount: usd(500), IdempotencyKey: "twice"},
				{Token: "tok_visa", Amount: usd(500), IdempotencyKey: "twice"},
				{Token: "tok_mastercard", Amount: usd(700), IdempotencyKey: "renewal-4"},
			}, wantShared: false, wantCharges: 2},
		{name: "a key seen before with another request is refused, the others are charged",
			queued: []payments.ChargeRequest{
				{Token: "tok_visa", Amount: usd(901), IdempotencyKey: "seen"},
				{Token: "tok_amex", Amount: usd(500), IdempotencyKey: "renewal-5"},
			}, wantShared: true, wantCharges: 1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			db := open(t, newDatabase(t))
			g := sandbox.New(db)
			shared := watchShared(g)
			ctx := t.Context()
			// Given a charge taken under the key "seen"
			seen, err := g.Charge(ctx, payments.ChargeRequest{Token: "tok_visa", Amount: usd(900), IdempotencyKey: "seen"})
			if err != nil {
				t.Fatal(err)
			}
			// When the queued charges arrive while another one's record is in flight
			answers := queueBehindHeldCharge(t, ctx, db, g, tc.queued)
			// Then each is answered as if it had been alone
			for i, req := range tc.queued {
				assertChargeAnswer(t, req, answers[i], seen)
			}
			if got := shared(); len(got) != 1 || got[0] != tc.wantShared {
				t.Errorf("shared statements %v, want one that recorded them: %v", got, tc.wantShared)
			}
			var taken int
			if err := db.QueryRow(`SELECT count(*) FROM payments_sandbox_charges WHERE id <> $1`, seen.GatewayID).
				Scan(&taken); err != nil || taken != tc.wantCharges+1 {
				t.Errorf("%d charges taken besides the first (%v), want %d and the one in flight", taken, err, tc.wantCharges)
			}
		})
	}
}

// assertChargeAnswer checks a queued charge's answer against what the sandbox's table says of its token, seen
// being the first charge under the key "seen".
func assertChargeAnswer(t *testing.T, req payments.ChargeRequest, got chargeAnswer, seen payments.Charge) {
	t.Helper()
	var declined *payments.Declined
	switch {
	case req.IdempotencyKey == "seen" && req.Amount.Amount != seen.Amount.Amount:
		if !errors.Is(got.err, sandbox.ErrKeyReused) {
			t.Errorf("%s reused with another amount: %v, want ErrKeyReused", req.IdempotencyKey, got.err)
		}
	case req.IdempotencyKey == "seen":
		if got.err != nil || got.charge.GatewayID != seen.GatewayID {
			t.Errorf("%s again: %+v, %v; want the first charge %s", req.IdempotencyKey, got.charge, got.err, seen.GatewayID)
		}
	case req.Token == "tok_chargeDeclined":
		if !errors.As(got.err, &declined) || declined.Reason != payments.CardDeclined {
			t.Errorf("%s: %v, want declined", req.IdempotencyKey, got.err)
		}
	case req.Token == "tok_threeDSecure2Required":
		if got.err != nil || got.charge.Intent == nil || got.charge.Intent.Status != payments.IntentRequiresAction {
			t.Errorf("%s: %+v, %v; want an intent requiring action", req.IdempotencyKey, got.charge, got.err)
		}
	default:
		if got.err != nil || got.charge.GatewayID == "" || got.charge.Amount != req.Amount {
			t.Errorf("%s: %+v, %v; want a charge of %v", req.IdempotencyKey, got.charge, got.err, req.Amount)
		}
	}
}

// watchShared makes g's charge queue note the outcome of every shared statement, and returns a function
// that reports them.
func watchShared(g *sandbox.Gateway) func() []bool {
	q := sandbox.ChargeQueue(g)
	inner := q.Shared
	var mu sync.Mutex
	var outcomes []bool
	q.Shared = func(ctx context.Context, charges [][]any) ([]bool, bool) {
		claimed, ok := inner(ctx, charges)
		mu.Lock()
		defer mu.Unlock()
		outcomes = append(outcomes, ok)
		return claimed, ok
	}
	return func() []bool {
		mu.Lock()
		defer mu.Unlock()
		return outcomes
	}
}

// queueBehindHeldCharge starts a charge whose key another transaction holds (an uncommitted insert of it),
// so that its record stays in flight, queues reqs behind it one by one, then lets the held key go and
// returns reqs' answers in order.
func queueBehindHeldCharge(t *testing.T, ctx context.Context, db *sql.DB, g *sandbox.Gateway,
	reqs []payments.ChargeRequest) []chargeAnswer {
	t.Helper()
	q := sandbox.ChargeQueue(g)
	q.Patience = time.Hour // the record in flight keeps the lead while it waits, so the others queue
	blocker, err := db.BeginTx(ctx, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = blocker.Rollback() })
	if _, err := blocker.ExecContext(ctx, `INSERT INTO payments_sandbox_requests (idempotency_key, fingerprint, outcome)
		VALUES ('held', '\x00', '{}')`); err != nil {
		t.Fatal(err)
	}
	held := payments.ChargeRequest{Token: "tok_visa", Amount: payments.Money{Amount: 100, Currency: "usd"}, IdempotencyKey: "held"}
	answers := make([]chargeAnswer, len(reqs)+1)
	var wg sync.WaitGroup
	for i, req := range append([]payments.ChargeRequest{held}, reqs...) {
		wg.Go(func() {
			answers[i].charge, answers[i].err = g.Charge(ctx, req)
		})
		waitChargesQueued(t, g, i)
	}
	if err := blocker.Rollback(); err != nil {
		t.Fatal(err)
	}
	wg.Wait()
	if answers[0].err != nil {
		t.Fatalf("the charge in flight: %v", answers[0].err)
	}
	return answers[1:]
}

// waitChargesQueued waits until n charges queue behind the record in flight.
func waitChargesQueued(t *testing.T, g *sandbox.Gateway, n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		if waiting, leading := sandbox.ChargeQueue(g).Queued(); leading && waiting == n {
			return
		}
		if time.Now().After(deadline) {
			t.Fatalf("charges did not queue: want %d waiting", n)
		}
	}
}

func TestTwoRequestsUnderOneKeyQueuedTogetherGetOneOutcomeAndTheOtherIsRefused(t *testing.T) {
	t.Parallel()
	db := open(t, newDatabase(t))
	g := sandbox.New(db)
	ctx := t.Context()
	// Given a refusing card's charge and a good card's charge of another amount, under one key
	reqs := []payments.ChargeRequest{
		{Token: "tok_chargeDeclined", Amount: payments.Money{Amount: 500, Currency: "usd"}, IdempotencyKey: "dup"},
		{Token: "tok_visa", Amount: payments.Money{Amount: 600, Currency: "usd"}, IdempotencyKey: "dup"},
	}
	// When both queue behind a charge in flight
	answers := queueBehindHeldCharge(t, ctx, db, g, reqs)
	// Then one is answered as its card says, the other is refused for reusing the key
	var reused, charged int
	for i, got := range answers {
		var declined *payments.Declined
		switch {
		case errors.Is(got.err, sandbox.ErrKeyReused):
			reused++
		case i == 0 && errors.As(got.err, &declined):
		case i == 1 && got.err == nil && got.charge.GatewayID != "":
			charged++
		default:
			t.Errorf("request %d: %+v, %v", i, got.charge, got.err)
		}
	}
	if reused != 1 {
		t.Errorf("%d requests refused for reusing the key, want 1", reused)
	}
	// and money is taken only when the good card's request is the one recorded
	var taken int
	if err := db.QueryRow(`SELECT count(*) FROM payments_sandbox_charges`).Scan(&taken); err != nil || taken != charged+1 {
		t.Errorf("%d charges taken (%v), want %d and the one in flight", taken, err, charged)
	}
}
