// Command appendgroup measures what one billing renewal's first append costs (the period started on the
// subscription's stream, the invoice opened and attempted on a new one: renewAndOpen's two-stream append)
// when the renewals of a group are written in one eventstore.AppendMulti instead of one each: the ceiling of
// what deciding a claimed chunk's renewals together, and writing them in one statement, could save the
// billing run. It appends from one goroutine (no concurrency, so the CPU per renewal is not the machine's
// contention), alternating the group sizes, and prints Go and database CPU per renewal, which a shared
// machine's load moves far less than the wall time. The database is dropped at the end, on every path.
package main

import (
	"context"
	"flag"
	"fmt"
	"log"
	"strconv"
	"strings"
	"time"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/bench/internal/benchenv"
	"github.com/pelcro-oss/pelcro-api/eventstore"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest"
)

// Payload and metadata sizes of a renewal's first append in bench/billing (the stored events' average
// lengths: invoice.created, invoice.payment_attempted, subscription.period_started).
var (
	dataSizes     = [3]int{427, 248, 356}
	metadataSizes = [3]int{241, 241, 207}
)

func main() {
	renewals := flag.Int("renewals", 2048, "renewals appended per group size and round")
	groupList := flag.String("groups", "1,4,16,32", "renewals per AppendMulti, comma-separated")
	rounds := flag.Int("rounds", 3, "rounds; each appends -renewals renewals at every group size, in turn")
	serverURL := flag.String("server", pgtest.ServerURL(), "PostgreSQL server to create the benchmark database on")
	flag.Parse()
	var groups []int
	for _, field := range strings.Split(*groupList, ",") {
		g, err := strconv.Atoi(strings.TrimSpace(field))
		if err != nil || g < 1 {
			log.Fatalf("bench/appendgroup: bad group size %q", field)
		}
		groups = append(groups, g)
	}
	if *renewals < 1 || *rounds < 1 {
		log.Fatal("bench/appendgroup: want -renewals and -rounds ≥ 1")
	}
	benchenv.Main("appendgroup", *serverURL, func(ctx context.Context, db *benchenv.Database) (string, error) {
		var b strings.Builder
		fmt.Fprintf(&b, "renewals' first appends (3 events over 2 streams each), %d per group size and round, one caller\n", *renewals)
		fmt.Fprintf(&b, "| round | renewals per AppendMulti | load average before | Go CPU / renewal | database CPU / renewal |\n|---:|---:|---|---:|---:|\n")
		for round := 1; round <= *rounds; round++ {
			for _, group := range groups {
				pass := fmt.Sprintf("r%d-g%d", round, group)
				load := benchenv.LoadAverage()
				process, database, err := measure(ctx, db, pass, *renewals, group)
				if err != nil {
					return "", err
				}
				n := time.Duration(*renewals)
				fmt.Fprintf(&b, "| %d | %d | %s | %s | %s |\n", round, group, load,
					(process / n).Round(time.Microsecond), (database / n).Round(time.Microsecond))
			}
		}
		return b.String(), nil
	})
}

// measure writes renewals subscription streams of one event each (not timed), then appends each one's
// renewal, group renewals per AppendMulti, and returns the CPU the appends cost this process and the database.
func measure(ctx context.Context, db *benchenv.Database, pass string, renewals, group int) (process, database time.Duration, err error) {
	for i := 0; i < renewals; i++ {
		stream := fmt.Sprintf("subscription-%s-%d", pass, i)
		if _, err := db.Store.Append(ctx, stream, eventstore.NoStream(), event("subscription.created", 300, 200)); err != nil {
			return 0, 0, err
		}
	}
	before, err := db.SampleCPU(ctx)
	if err != nil {
		return 0, 0, err
	}
	for first := 0; first < renewals; first += group {
		var appends []eventstore.StreamAppend
		for i := first; i < min(first+group, renewals); i++ {
			appends = append(appends,
				eventstore.StreamAppend{Stream: fmt.Sprintf("invoice-%s-%d", pass, i), Expected: eventstore.NoStream(),
					Events: []eventstore.EventData{event("invoice.created", dataSizes[0], metadataSizes[0]),
						event("invoice.payment_attempted", dataSizes[1], metadataSizes[1])}},
				eventstore.StreamAppend{Stream: fmt.Sprintf("subscription-%s-%d", pass, i), Expected: eventstore.Exact(0),
					Events: []eventstore.EventData{event("subscription.period_started", dataSizes[2], metadataSizes[2])}})
		}
		if _, err := eventstore.AppendMulti(ctx, db.Store, appends); err != nil {
			return 0, 0, err
		}
	}
	after, err := db.SampleCPU(ctx)
	if err != nil {
		return 0, 0, err
	}
	process, database = after.Since(before)
	return process, database, nil
}

// event is an event of that type whose JSON payload and metadata have about the given lengths.
func event(eventType string, dataSize, metadataSize int) eventstore.EventData {
	return eventstore.EventData{ID: uuid.New(), Type: eventType, Data: padded(dataSize), Metadata: padded(metadataSize)}
}

func padded(size int) []byte {
	return []byte(`{"pad":"` + strings.Repeat("x", max(size-10, 0)) + `"}`)
}
