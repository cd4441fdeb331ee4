package postgres

import (
	"slices"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// packedRun is the events of one value of readAllPackedQuery: events[start:end] of the page, in position
// order (string_agg reads its group's rows in the order of the ordered subquery).
type packedRun struct{ start, end int }

// orderPage returns the events of a packed page in position order. The runs come in order, one
// transaction each, so this is a check; runs out of order (another plan) are put in order of their first
// event, and events out of place are moved by insertion.
//
// Warning: the insertion is only cheap for nearly ordered pages; past a budget of one move per event it
// gives up and sorts the page, so a page that comes back in an unexpected order costs time, never order.
func orderPage(events []eventstore.RecordedEvent, runs []packedRun) []eventstore.RecordedEvent {
	byFirstEvent := func(a, b packedRun) int { return events[a.start].Position.Compare(events[b.start].Position) }
	if !slices.IsSortedFunc(runs, byFirstEvent) {
		slices.SortFunc(runs, byFirstEvent)
		ordered := make([]eventstore.RecordedEvent, 0, len(events))
		for _, run := range runs {
			ordered = append(ordered, events[run.start:run.end]...)
		}
		events = ordered
	}
	if !insertInOrder(events, len(events)) {
		slices.SortFunc(events, func(a, b eventstore.RecordedEvent) int { return a.Position.Compare(b.Position) })
	}
	return events
}

// insertInOrder sorts events by position with an insertion sort that moves at most budget events one place;
// it reports false when it would need more, leaving the same events in another order.
func insertInOrder(events []eventstore.RecordedEvent, budget int) bool {
	for i := 1; i < len(events); i++ {
		if events[i-1].Position.Compare(events[i].Position) <= 0 {
			continue
		}
		e, j := events[i], i
		for ; j > 0 && events[j-1].Position.Compare(e.Position) > 0 && budget > 0; j-- {
			events[j] = events[j-1]
			budget--
		}
		events[j] = e // Warning: before any return, or e is lost and its neighbour doubled.
		if budget == 0 && j > 0 && events[j-1].Position.Compare(e.Position) > 0 {
			return false
		}
	}
	return true
}
