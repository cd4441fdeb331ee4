package auth_test

import (
	"context"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/auth"
)

// BenchmarkHashDefaultParams measures one password hash with the production parameters (a login costs one
// Verify, which is the same work).
func BenchmarkHashDefaultParams(b *testing.B) {
	h, err := auth.NewHasher(auth.DefaultParams(), 1)
	if err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		if _, err := h.Hash(context.Background(), "S3cret!pass"); err != nil {
			b.Fatal(err)
		}
	}
}
