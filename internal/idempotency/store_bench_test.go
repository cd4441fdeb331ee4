package idempotency_test

import (
	"context"
	"strconv"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/idempotency"
)

// BenchmarkKeyedRequest measures what Idempotency-Key adds to a request: claiming a fresh key, then storing
// a sealed answer of the size of a Customer with its token; and what a retry costs: one replay.
func BenchmarkKeyedRequest(b *testing.B) {
	db := newDB(b)
	s, err := idempotency.NewStore(db, secret)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	body := make([]byte, 2048)
	for i := range body {
		body[i] = 'x'
	}
	answer := idempotency.Response{Status: 200, Body: body}
	attempt := func(i int) idempotency.Attempt {
		return idempotency.Attempt{Scope: "customer:1:42", Key: "bench-" + strconv.Itoa(i), Fingerprint: []byte("PUT /customer")}
	}
	fresh := 1 // keys above 1 are claimed once each, across every run of the benchmark
	b.Run("claim and finish", func(b *testing.B) {
		for b.Loop() {
			fresh++
			claim, err := s.Begin(ctx, attempt(fresh))
			if err != nil || claim.Outcome != idempotency.Proceed {
				b.Fatal(claim.Outcome, err)
			}
			if err := s.Finish(ctx, claim, answer); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("replay", func(b *testing.B) {
		if claim, err := s.Begin(ctx, attempt(1)); err == nil && claim.Outcome == idempotency.Proceed {
			if err := s.Finish(ctx, claim, answer); err != nil {
				b.Fatal(err)
			}
		}
		for b.Loop() {
			if claim, err := s.Begin(ctx, attempt(1)); err != nil || claim.Outcome != idempotency.Replay {
				b.Fatal(claim.Outcome, err)
			}
		}
	})
}
