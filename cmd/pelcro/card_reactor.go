package main

import (
	"context"
	"fmt"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/projections"
)

// subscriptionCardsName is the checkpoint of the reactor freeing the cards of ended subscriptions.
// Warning: changing it replays every subscription.ended of history (harmless, each card is freed once, but
// slow).
const subscriptionCardsName = "subscription_cards.v1"

// subscriptionCards is the reactor to subscription.ended: the card a subscription paid with (held since
// its creation, so it could not be deleted) is freed once the subscription is canceled or expired
// (commands.Subscriptions.ReleaseCard). Like the payment reactors it runs in order and checkpointed and
// writes to the log; the command id is made of the event id, so an event delivered again frees nothing
// twice.
//
// Warning: the command id prefix is part of stored command ids; changing it frees a replayed end again.
func subscriptionCards(store eventstore.Store) projections.Projection {
	subscriptions := commands.Subscriptions{Store: store, Wallets: commands.Wallets{Store: store}}
	return projections.Projection{
		Name:      subscriptionCardsName,
		NoRebuild: "it frees the cards of ended subscriptions instead of keeping a table; nothing to rebuild",
		Handlers: []projections.Handler{projections.On(func(ctx context.Context, _ *sqlx.Tx,
			e projections.Event[subscription.Ended]) error {
			env := commands.Envelope{CommandID: "subscription-ended-card:" + e.ID.String(), CausationID: e.ID.String(),
				CorrelationID: e.Metadata.CorrelationID, Actor: "system:subscription-cards"}
			if _, err := subscriptions.ReleaseCard(ctx, env, e.Data.SubscriptionID); err != nil {
				return fmt.Errorf("free the card of subscription %d: %w", e.Data.SubscriptionID, err)
			}
			return nil
		})},
	}
}
