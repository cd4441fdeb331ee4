package commands

import (
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
)

// SubscriptionAggregate stores one stream per subscription, "subscription-<id>". Warning: the prefix is part
// of stored stream names (and a data subject's, see PersonalDataStreams); changing it orphans every
// subscription.
var SubscriptionAggregate = Aggregate[subscription.State, subscription.Event]{
	Registry: subscription.Events, Evolve: subscription.Evolve, StreamPrefix: "subscription-"}

// IDKindSubscription is the kind of the subscriptions' integer ids (see IDAllocator). Warning: names a
// counter stream.
const IDKindSubscription = "subscription"
