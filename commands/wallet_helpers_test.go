package commands_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
	"github.com/pelcro-oss/pelcro-api/internal/payments/sandbox"
)

// walletWorld is the wallet commands on a fresh store, with the sandbox gateway in the same database, a
// store and a gateway that fail on demand, and a clock the test sets.
type walletWorld struct {
	wallets commands.Wallets
	intents commands.Intents
	store   *faultyStore
	gateway *faultyGateway
	sandbox *sandbox.Gateway
}

func newWalletWorld(t *testing.T) *walletWorld {
	t.Helper()
	url, db := paymentsDatabase(t)
	w := &walletWorld{store: &faultyStore{Store: openStore(t, url)}, sandbox: sandbox.New(db.DB)}
	w.gateway = &faultyGateway{Gateway: w.sandbox}
	clock := func() time.Time { return time.Date(2026, 5, 2, 10, 0, 0, 0, time.UTC) }
	gateways := commands.Gateways{"stripe": w.gateway}
	w.intents = commands.Intents{Store: w.store, Gateways: gateways, Now: clock}
	w.wallets = commands.Wallets{Store: w.store, Gateways: gateways, Intents: w.intents, Now: clock,
		MethodIDs: commands.NewIDAllocator(w.store, commands.IDKindPaymentMethod, commands.IDAllocatorConfig{})}
	w.intents.Owners = map[payments.IntentKind]commands.IntentOwner{payments.SetupIntent: w.wallets.ConfirmSetup}
	w.wallets.Intents = w.intents
	return w
}

// state folds the customer's wallet as it stands.
func (w *walletWorld) state(t *testing.T, customerID int64) wallet.State {
	t.Helper()
	var s wallet.State
	_, err := commands.Handle(t.Context(), w.store.Store, commands.WalletAggregate, strconv.FormatInt(customerID, 10),
		envelope("look-"+t.Name()), func(current wallet.State) ([]wallet.Event, error) { s = current; return nil, nil })
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// save saves the card of token for customer 7 of account 3 under the command id.
func (w *walletWorld) save(t *testing.T, commandID, token string) (commands.WalletResult, error) {
	t.Helper()
	return w.wallets.Save(t.Context(), envelope(commandID), commands.NewPaymentMethod{
		Target: commands.Target{CustomerID: 7, AccountID: 3, SiteID: 1}, Token: token})
}

// errCrash is a failure injected by the test.
var errCrash = errors.New("injected crash")

// faultyStore fails the next append to a wallet stream once: before it reaches the store (failBefore) or
// after it was written (failAfter, an acknowledgement lost).
type faultyStore struct {
	eventstore.Store
	failBefore, failAfter atomic.Bool
}

func (s *faultyStore) Append(ctx context.Context, stream string, expected eventstore.ExpectedRevision,
	events ...eventstore.EventData) (eventstore.AppendResult, error) {
	if strings.HasPrefix(stream, commands.WalletAggregate.StreamPrefix) && s.failBefore.CompareAndSwap(true, false) {
		return eventstore.AppendResult{}, errCrash
	}
	result, err := s.Store.Append(ctx, stream, expected, events...)
	if err == nil && strings.HasPrefix(stream, commands.WalletAggregate.StreamPrefix) && s.failAfter.CompareAndSwap(true, false) {
		return eventstore.AppendResult{}, errCrash
	}
	return result, err
}

// faultyGateway fails the next attach once: before the gateway saw it, or after it saved the card (a
// timeout: the outcome unknown to the caller).
type faultyGateway struct {
	payments.Gateway
	failBefore, failAfter atomic.Bool
}

func (g *faultyGateway) AttachCard(ctx context.Context, req payments.AttachCardRequest) (payments.AttachedCard, error) {
	if g.failBefore.CompareAndSwap(true, false) {
		return payments.AttachedCard{}, payments.ErrUnavailable
	}
	card, err := g.Gateway.AttachCard(ctx, req)
	if err == nil && g.failAfter.CompareAndSwap(true, false) {
		return payments.AttachedCard{}, payments.ErrUnavailable
	}
	return card, err
}
