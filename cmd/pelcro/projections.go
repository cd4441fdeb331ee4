package main

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/auth"
	"github.com/pelcro-oss/pelcro-api/internal/config"
	"github.com/pelcro-oss/pelcro-api/projections"
	catalogprojections "github.com/pelcro-oss/pelcro-api/projections/catalog"
	customerprojection "github.com/pelcro-oss/pelcro-api/projections/customer"
	"github.com/pelcro-oss/pelcro-api/projections/customerstreams"
	"github.com/pelcro-oss/pelcro-api/projections/deadline"
	invoiceprojection "github.com/pelcro-oss/pelcro-api/projections/invoice"
	mailprojection "github.com/pelcro-oss/pelcro-api/projections/mail"
	"github.com/pelcro-oss/pelcro-api/projections/memberip"
	membershipprojection "github.com/pelcro-oss/pelcro-api/projections/membership"
	newsletterprojection "github.com/pelcro-oss/pelcro-api/projections/newsletter"
	orderprojection "github.com/pelcro-oss/pelcro-api/projections/order"
	stockprojection "github.com/pelcro-oss/pelcro-api/projections/stock"
	subscriptionprojection "github.com/pelcro-oss/pelcro-api/projections/subscription"
	walletprojection "github.com/pelcro-oss/pelcro-api/projections/wallet"
)

func newProjectionsCommand(cfg *config.Config) *cobra.Command {
	root := &cobra.Command{
		Use:   "projections",
		Short: "Inspect and rebuild the read models (projections) that `pelcro serve` keeps up to date",
	}
	root.AddCommand(newProjectionsListCommand(cfg), newProjectionsStatusCommand(cfg), newProjectionsRebuildCommand(cfg),
		newProjectionsVerifyCommand(cfg))
	return root
}

// knownProjections are the projections this binary knows, by name, and the reactors that run like them
// (subscriptionPayments, orderPayments): `pelcro serve` runs exactly these and the operator commands list them with their
// lag and state, and rebuild those that keep a table. A new read model or reactor is added here and nowhere
// else.
//
// keys are the one-time token keys the mail outbox derives links with, store the event store the reactors
// write to, gateways the payment gateways they refund through (a purchase refused once paid), and waitFor
// waits for read models of the runner the reactors run in (the seat claims read two); the operator
// commands, which never apply mail events nor run a reactor (reactors are never rebuilt), may pass the zero
// Keys, a nil store, nil gateways and a nil waitFor.
func knownProjections(keys auth.Keys, store eventstore.Store, gateways commands.Gateways,
	waitFor readModelsWait) []projections.Projection {
	tokens := auth.OneTimeTokens{Key: keys.OneTime}
	all := append(catalogprojections.All(), newsletterprojection.Projection(), customerprojection.Projection(),
		mailprojection.Projection(tokens.Token), walletprojection.Projection(), invoiceprojection.Projection(),
		customerstreams.Projection(), deadline.Projection(),
		subscriptionprojection.Projection(), memberip.Projection(), orderprojection.Projection(), stockprojection.Projection(),
		membershipprojection.Projection(), subscriptionPayments(store, gateways), subscriptionCards(store), orderPayments(store),
		seatClaims(store, func(ctx context.Context, pos eventstore.Position) error {
			return waitFor(ctx, pos, seatClaimReadModels...)
		}))
	slices.SortFunc(all, func(a, b projections.Projection) int { return strings.Compare(a.Name, b.Name) })
	return all
}

// readModelsWait waits until the named read models have applied the log up to pos (Runner.WaitFor).
type readModelsWait func(ctx context.Context, pos eventstore.Position, names ...string) error

// selectProjections returns the named known projections, or with all every one but those that must never
// be rebuilt (the mail outbox), which it returns as skipped so the caller can say so; an unknown name is an
// error that lists the known ones.
func selectProjections(names []string, all bool) (selected, skipped []projections.Projection, err error) {
	known := knownProjections(auth.Keys{}, nil, nil, nil)
	if all == (len(names) > 0) {
		return nil, nil, fmt.Errorf("name projections or pass --all, not both or neither (known: %s)", knownNames(known))
	}
	if all {
		for _, p := range known {
			if p.NoRebuild != "" {
				skipped = append(skipped, p)
			} else {
				selected = append(selected, p)
			}
		}
		return selected, skipped, nil
	}
	for _, name := range names {
		i := slices.IndexFunc(known, func(p projections.Projection) bool { return p.Name == name })
		if i < 0 {
			return nil, nil, fmt.Errorf("unknown projection %q (known: %s)", name, knownNames(known))
		}
		if reason := known[i].NoRebuild; reason != "" {
			return nil, nil, fmt.Errorf("%s is never rebuilt: %s", name, reason)
		}
		selected = append(selected, known[i])
	}
	return selected, nil, nil
}

func knownNames(known []projections.Projection) string {
	names := make([]string, len(known))
	for i, p := range known {
		names[i] = p.Name
	}
	return strings.Join(names, ", ")
}

// projectionsConfig is what the runner of `pelcro serve` and projections.Rebuild share: the stores and the
// decoder of every event.
func projectionsConfig(deps *dependencies) projections.Config {
	return projections.Config{Store: deps.EventStore, DB: deps.ReadModels, Registry: eventRegistry()}
}

// maxCountedEvents bounds how far the CLI reads the log to count events, so a status stays quick on a huge
// log; beyond it counts show as ">1000000".
const maxCountedEvents = 1_000_000

// eventCount is how many events the log holds after some position, up to maxCountedEvents.
type eventCount struct {
	n      int
	capped bool // more than n events
}

func (c eventCount) String() string {
	if c.capped {
		return fmt.Sprintf(">%d", c.n)
	}
	return fmt.Sprint(c.n)
}

// countEventsAfter counts the events projections see after from, up to limit (projections.CountEventsAfter).
func countEventsAfter(ctx context.Context, store eventstore.Store, from eventstore.AllFrom, limit int) (eventCount, error) {
	n, capped, err := projections.CountEventsAfter(ctx, store, from, limit)
	return eventCount{n: n, capped: capped}, err
}
