package aggregates_test

import (
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

func TestIsHostLabel(t *testing.T) {
	t.Parallel()
	tests := []struct {
		label string
		want  bool
	}{
		{"example", true}, {"Example", true}, {"cs-2", true}, {"x", true}, {strings.Repeat("a", 63), true},
		{"", false}, {strings.Repeat("a", 64), false}, {"-cs", false}, {"cs-", false}, {"c_s", false},
		{"*", false}, {"é", false}, {"xn--fsqu00a", true}, {"a b", false},
	}
	for _, tt := range tests {
		// given a label; when it is checked; then only letters, digits and inner hyphens, 1 to 63, pass
		if got := aggregates.IsHostLabel(tt.label); got != tt.want {
			t.Errorf("IsHostLabel(%q) = %v, want %v", tt.label, got, tt.want)
		}
	}
}
