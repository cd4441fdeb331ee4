// Package intent is the owner lookup of 3-D Secure intents: which part of the system completes an intent
// once the gateway says the customer authenticated it. Each intent is one stream ("intent-<gateway id>"),
// written when the intent is created, before the owner records anything that waits for it, so a
// confirmation arriving from anywhere (a webhook, the 3-D Secure return page, the sandbox's confirm command)
// finds its owner on the write side, without waiting for a read model.
package intent

import (
	"errors"
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// Event is implemented by every intent event.
type Event interface {
	isIntentEvent()
}

// Registered records who completes the intent. Kind is "setup_intent" (saving a card) or "payment_intent"
// (taking money); Owner names the owner's stream ("wallet-42", "invoice-7"), which only the owner of that
// kind interprets; CustomerID is the customer who must authenticate.
type Registered struct {
	IntentID     string    `json:"intent_id"`
	Kind         string    `json:"kind"`
	Gateway      string    `json:"gateway"`
	Owner        string    `json:"owner"`
	CustomerID   int64     `json:"customer_id"`
	AccountID    int64     `json:"account_id"`
	RegisteredAt time.Time `json:"registered_at"`
}

func (Registered) isIntentEvent() {}

// Events names every intent event. Warning: the names are a stored format; renaming one orphans every
// pending intent, whose confirmations would then find no owner.
var Events = func() *aggregates.Registry {
	r := aggregates.NewRegistry()
	aggregates.MustRegister[Registered](r, "intent.registered")
	return r
}()

// State is the registration; the zero value is an intent nobody registered.
type State struct {
	Registered
}

// Exists says whether the intent was registered.
func (s State) Exists() bool { return s.IntentID != "" }

// Evolve folds one event into the state.
func Evolve(s State, e Event) State {
	if r, ok := e.(Registered); ok {
		s.Registered = r
	}
	return s
}

// ErrTaken is returned when the intent is registered to another owner.
var ErrTaken = errors.New("intent: registered to another owner")

// Register names the intent's owner. Registering the same owner again (a retried command) is a no-op.
func Register(s State, r Registered) ([]Event, error) {
	if !s.Exists() {
		return []Event{r}, nil
	}
	if s.Kind != r.Kind || s.Gateway != r.Gateway || s.Owner != r.Owner || s.CustomerID != r.CustomerID ||
		s.AccountID != r.AccountID {
		return nil, ErrTaken
	}
	return nil, nil
}
