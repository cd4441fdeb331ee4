package benchenv

import (
	"context"
	"fmt"
	"log"
)

// Main runs one benchmark program: a throw-away database named after program, the run, the database dropped
// on every path (it can hold millions of events), then the report printed or a non-zero exit.
func Main(program, serverURL string, run func(ctx context.Context, db *Database) (string, error)) {
	ctx := context.Background()
	db, err := Open(ctx, serverURL, program)
	if err != nil {
		log.Fatalf("bench %s: %v", program, err)
	}
	report, err := run(ctx, db)
	db.Drop()
	if err != nil {
		log.Fatalf("bench %s: %v", program, err)
	}
	fmt.Print(report)
}
