package main

import (
	"github.com/pelcro-oss/pelcro-api/internal/adminreads"
	"github.com/pelcro-oss/pelcro-api/internal/apikeys"
	"github.com/pelcro-oss/pelcro-api/projections"
	"github.com/pelcro-oss/pelcro-api/queries"
	"github.com/pelcro-oss/pelcro-api/transport"
)

// withAdmin wires the admin API and console: API keys in the read-model database, and the reads of the
// operator package, which the CLI's operator commands use too, so both give the same answers.
func withAdmin(into *transport.Dependencies, deps *dependencies, runner *projections.Runner) {
	into.AdminKeys = apikeys.NewStore(deps.ReadModels, nil)
	into.AdminReads = adminreads.Reads{Customers: queries.Customers{DB: deps.ReadModels}, Operator: newOperator(deps),
		Runner: runner, Store: deps.EventStore}
}
