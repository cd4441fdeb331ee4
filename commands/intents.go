package commands

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates/intent"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// IntentAggregate stores who completes each 3-D Secure intent, one stream per intent, "intent-<gateway id>".
// Warning: the prefix is part of stored stream names; changing it loses the owner of every pending intent.
var IntentAggregate = Aggregate[intent.State, intent.Event]{
	Registry: intent.Events, Evolve: intent.Evolve, StreamPrefix: "intent-"}

// ErrIntentNotSucceeded: the gateway does not (yet) say the customer authenticated the intent; nothing was
// completed. The error names the gateway's status.
var ErrIntentNotSucceeded = errors.New("commands: the intent has not succeeded at the gateway")

// IntentOwner completes an intent of its kind once the gateway said it succeeded: the wallet makes the card
// chargeable (setup_intent), invoices mark the invoice paid (payment_intent). It must be idempotent: the
// same intent may be confirmed several times (a webhook delivered twice, the return page and the webhook).
type IntentOwner func(ctx context.Context, env Envelope, registered intent.Registered) (Result, error)

// Intents is the one entry point of 3-D Secure confirmations. Owners register an intent when they create it
// (Register, before they record anything waiting for it); whoever learns the customer authenticated calls
// Confirm, which checks with the gateway and hands the intent to the owner of its kind.
type Intents struct {
	Store    eventstore.Store
	Gateways Gateways
	// Owners complete intents by kind; cmd/pelcro fills it (the wallet for setup intents, invoices for
	// payment intents).
	Owners map[payments.IntentKind]IntentOwner
	// Now is the business clock stamped on events; nil means time.Now.
	Now func() time.Time
}

// ConfirmedIntent is what Confirm completed: the registration and where the owner's stream stands.
type ConfirmedIntent struct {
	intent.Registered
	Result
}

// intentID is the shape of a gateway's intent id (Stripe's "seti_…", "pi_…"); anything else names no intent.
var intentID = regexp.MustCompile(`^[A-Za-z0-9_]{1,255}$`)

// Register records that owner completes the intent; registering the same owner again is a no-op, another
// owner is intent.ErrTaken.
func (i Intents) Register(ctx context.Context, env Envelope, r intent.Registered) error {
	if !intentID.MatchString(r.IntentID) {
		return fmt.Errorf("commands: intent id %q: %w", r.IntentID, payments.ErrUnknownIntent)
	}
	r.RegisteredAt = now(i.Now)
	_, err := Handle(ctx, i.Store, IntentAggregate, r.IntentID, env, func(s intent.State) ([]intent.Event, error) {
		return intent.Register(s, r)
	})
	return err
}

// Registration returns who completes the intent: payments.ErrUnknownIntent when nobody registered it.
func (i Intents) Registration(ctx context.Context, id string) (intent.Registered, error) {
	if !intentID.MatchString(id) {
		return intent.Registered{}, payments.ErrUnknownIntent
	}
	h, err := load(ctx, i.Store, IntentAggregate, IntentAggregate.StreamPrefix+id, "")
	if err != nil {
		return intent.Registered{}, err
	}
	if !h.state.Exists() {
		return intent.Registered{}, payments.ErrUnknownIntent
	}
	return h.state.Registered, nil
}

// Confirm completes the intent: it finds its owner (payments.ErrUnknownIntent when none), asks the intent's
// gateway where it stands (ErrIntentNotSucceeded unless it succeeded) and hands it to the owner of its
// kind. Confirming again is safe: owners are idempotent.
func (i Intents) Confirm(ctx context.Context, env Envelope, id string) (ConfirmedIntent, error) {
	r, err := i.Registration(ctx, id)
	if err != nil {
		return ConfirmedIntent{}, err
	}
	gateway, err := i.Gateways.Get(r.Gateway)
	if err != nil {
		return ConfirmedIntent{}, err
	}
	at, err := gateway.Intent(ctx, id)
	if err != nil {
		return ConfirmedIntent{}, fmt.Errorf("commands: intent %s at the gateway: %w", id, err)
	}
	if at.Status != payments.IntentSucceeded {
		return ConfirmedIntent{}, fmt.Errorf("%w (status %s)", ErrIntentNotSucceeded, at.Status)
	}
	owner, ok := i.Owners[payments.IntentKind(r.Kind)]
	if !ok {
		return ConfirmedIntent{}, fmt.Errorf("commands: no owner completes intents of kind %q", r.Kind)
	}
	// The owner completes the intent on its own clock (the moment of the confirmation), which processes do
	// not share: even when the billing clock asks, its command is not one every process decides alike.
	env.alike = false
	result, err := owner(ctx, env, r)
	return ConfirmedIntent{Registered: r, Result: result}, err
}

// now is the business time of a command from an optional clock.
func now(clock func() time.Time) time.Time {
	if clock != nil {
		return clock().UTC()
	}
	return time.Now().UTC()
}
