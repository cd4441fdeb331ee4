// Package idblock is the counter behind integer public ids (customers, addresses): one stream per kind of id
// holds the blocks of ids handed to API processes, each block reserved by one event. A process hands the
// ids of its block out from memory (hi/lo allocation), so the store is written once per block, not per id.
//
// Every Reserved carries the last id it handed out, so the stream's last event alone is the whole state:
// readers never need to fold the (ever-growing) history.
package idblock

import (
	"time"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// Event is implemented by every idblock event.
type Event interface {
	isIDBlockEvent()
}

// Reserved records that the ids First..Last (inclusive) now belong to one process and will never be handed
// out again, whether or not that process uses them all.
type Reserved struct {
	First      int64     `json:"first"`
	Last       int64     `json:"last"`
	ReservedAt time.Time `json:"reserved_at"`
}

func (Reserved) isIDBlockEvent() {}

// Events names every idblock event. Warning: the names are a stored format (see aggregates.Registry);
// renaming one orphans every counter, and a counter that restarts hands out ids a second time.
var Events = func() *aggregates.Registry {
	r := aggregates.NewRegistry()
	aggregates.MustRegister[Reserved](r, "idblock.reserved")
	return r
}()
