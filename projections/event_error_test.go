package projections

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/ThreeDotsLabs/watermill/message/router/middleware"
	"github.com/lib/pq"
)

func TestFailureReasonNeverQuotesWhatPostgreSQLOrAPanicCarries(t *testing.T) {
	t.Parallel()
	quoted := &pq.Error{Code: "22P02", Message: `invalid input syntax for type uuid: "ann@example.com"`,
		Table: "customers", Column: "external_id"}
	var nilMap map[string]int
	runtimePanic := func() (err error) {
		defer func() { err = middleware.RecoveredPanicError{V: recover(), Stacktrace: "stack"} }()
		nilMap["x"]++
		return nil
	}()
	cases := []struct {
		name      string
		err       error
		want      string
		forbidden string
	}{
		{"a PostgreSQL error keeps our wrapping, its code and object names, not its message",
			fmt.Errorf("insert customer 12: %w", quoted),
			`insert customer 12: PostgreSQL error 22P02 (invalid_text_representation) table "customers" column "external_id"`,
			"ann@example.com"},
		{"a panic with a value of ours says only that it panicked",
			middleware.RecoveredPanicError{V: "bad entry ann@example.com", Stacktrace: "stack"},
			"the apply func panicked (value and stack in the server log)", "ann@example.com"},
		{"a runtime panic keeps the runtime's message",
			runtimePanic, "the apply func panicked: assignment to entry in nil map", "stack"},
		{"our own errors stay whole, on one line, without characters PostgreSQL refuses",
			errors.New("newsletter batch:\x00 unexpected\nevent"), "newsletter batch:  unexpected event", "\x00"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			t.Parallel()
			got := failureReason(&EventError{Projection: "p.v1", Err: c.err})
			if got != c.want || strings.Contains(got, c.forbidden) {
				t.Fatalf("reason = %q, want %q (never containing %q)", got, c.want, c.forbidden)
			}
		})
	}
}
