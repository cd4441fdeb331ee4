package commands

import (
	"context"

	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// withPendingSetup adds to an update's result the 3-D Secure setup intent the card still waits for in the
// wallet the update left, after (spec #41: the answer carries it when the card needs 3-D Secure), so a front
// end that made a pending card the default, or changed its expiry, can still complete it. A chargeable card
// carries none.
func (w Wallets) withPendingSetup(ctx context.Context, result WalletResult, after wallet.State) (WalletResult, error) {
	m, ok := after.Method(result.PaymentMethodID)
	if !ok || m.Status != wallet.StatusPending || m.SetupIntentID == "" {
		return result, nil
	}
	gateway, err := w.Gateways.Get(m.Gateway)
	if err == nil {
		result.SetupIntent, err = setupIntentOf(ctx, gateway, m)
	}
	return result, err
}

// setupIntentOf is the 3-D Secure setup intent of the card, as the gateway has it now.
func setupIntentOf(ctx context.Context, gateway payments.Gateway, m wallet.PaymentMethod) (*payments.Intent, error) {
	intent, err := gateway.Intent(ctx, m.SetupIntentID)
	if err != nil {
		return nil, err
	}
	return &intent, nil
}

// PendingSetup is the 3-D Secure setup intent card id of the customer still waits for, as the gateway has
// it now (GET /payment_methods/{id}: a front end resumes a save the customer left half-way), nil for a card
// that waits for none. A card the customer does not have is wallet.ErrNotFound.
func (w Wallets) PendingSetup(ctx context.Context, t Target, id int64) (*payments.Intent, error) {
	h, err := load(ctx, w.Store, WalletAggregate, walletStream(t.CustomerID), "")
	if err != nil {
		return nil, err
	}
	if h.state.Exists() && h.state.AccountID != t.AccountID {
		return nil, wallet.ErrNotFound
	}
	if _, ok := h.state.Method(id); !ok {
		return nil, wallet.ErrNotFound
	}
	found, err := w.withPendingSetup(ctx, WalletResult{PaymentMethodID: id}, h.state)
	return found.SetupIntent, err
}
