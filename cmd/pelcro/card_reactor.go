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

// subscriptionCardsName is the checkpoint of the reactor keeping the cards of subscriptions held.
// Warning: changing it replays every subscription.created and subscription.ended of history (harmless, each
// card is held or freed once, but slow).
const subscriptionCardsName = "subscription_cards.v1"

// subscriptionCards is the reactor to subscription.created and subscription.ended: it records on the wallet
// whether the subscription's card is in use as the subscription stands (commands.Subscriptions.SyncCard),
// so a card is freed once its subscription is canceled or expired, and held for a subscription created
// before creations held their card (a first run replays the whole log) or whose hold a crash lost. Like the
// payment reactors it runs in order and checkpointed and writes to the log; the command id is made of the
// event id, so an event delivered again records nothing twice.
//
// Warning: the command id prefix is part of stored command ids; changing it records a replayed event again.
func subscriptionCards(store eventstore.Store) projections.Projection {
	subscriptions := commands.Subscriptions{Store: store, Wallets: commands.Wallets{Store: store}}
	sync := func(ctx context.Context, e projections.Envelope, id int64) error {
		env := reactorEnvelope(e, "subscription-card:"+e.ID.String(), "system:subscription-cards")
		if _, err := subscriptions.SyncCard(ctx, env, id); err != nil {
			return fmt.Errorf("record whether subscription %d uses its card: %w", id, err)
		}
		return nil
	}
	return projections.Projection{
		Name:      subscriptionCardsName,
		NoRebuild: "it holds and frees the cards of subscriptions instead of keeping a table; nothing to rebuild",
		Handlers: []projections.Handler{
			projections.On(func(ctx context.Context, _ *sqlx.Tx, e projections.Event[subscription.Created]) error {
				if e.Data.Payment.SourceID == 0 { // created without a card, it never has one: nothing to read
					return nil
				}
				return sync(ctx, e.Envelope, e.Data.SubscriptionID)
			}),
			projections.On(func(ctx context.Context, _ *sqlx.Tx, e projections.Event[subscription.Ended]) error {
				return sync(ctx, e.Envelope, e.Data.SubscriptionID)
			}),
		},
	}
}
