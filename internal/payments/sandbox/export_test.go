package sandbox

import "github.com/pelcro-oss/pelcro-api/internal/groupcommit"

// ChargeQueue is g's queue of charge records, for tests that make charges queue and watch them go together.
func ChargeQueue(g *Gateway) *groupcommit.Queue[[]any, bool] { return &g.charges }

// Unavailable is how the sandbox reports a failure of its database.
var Unavailable = unavailable
