package apikeys_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/pelcro-oss/pelcro-api/internal/apikeys"
	"github.com/pelcro-oss/pelcro-api/internal/pgtest"
)

// Given names an operator may type, when a key is created with one, then a short line of printable text is
// kept and anything that would forge a row or drive a terminal is refused; stored names show escaped.
func TestKeyNamesArePrintableAndShort(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name, display string
		ok            bool
	}{
		{"support desk", "support desk", true},
		{"", "", true},
		{"Équipe d'assistance — 東京", "Équipe d'assistance — 東京", true},
		{strings.Repeat("a", 100), strings.Repeat("a", 100), true},
		{strings.Repeat("a", 101), "", false},
		{strings.Repeat("a", 100_000), "", false},
		{"desk\npak_0000000000000000  1  forged", `"desk\npak_0000000000000000  1  forged"`, false},
		{"desk\tcolumn", `"desk\tcolumn"`, false},
		{"desk\x1b[2J", `"desk\x1b[2J"`, false},
		{"desk\x00", `"desk\x00"`, false},
		{"desk\xff", `"desk\xff"`, false},
		{"desk\u202e", `"desk\u202e"`, false},
	}
	db := pgtest.MigratedDatabase(t)
	store := apikeys.NewStore(db, nil)
	for _, tc := range cases {
		err := apikeys.CheckName(tc.name)
		if (err == nil) != tc.ok {
			t.Errorf("CheckName(%.40q) = %v, want ok %v", tc.name, err, tc.ok)
		}
		if _, _, err := store.Create(t.Context(), 1, tc.name); (err == nil) != tc.ok || (!tc.ok && !errors.Is(err, apikeys.ErrInvalidName)) {
			t.Errorf("Create(%.40q) = %v, want ok %v", tc.name, err, tc.ok)
		}
		if got := apikeys.DisplayName(tc.name); tc.display != "" && got != tc.display {
			t.Errorf("DisplayName(%.40q) = %q, want %q", tc.name, got, tc.display)
		}
		if got := apikeys.DisplayName(tc.name); strings.ContainsAny(got, "\n\t\x1b\x00") || len([]rune(got)) > apikeys.MaxNameLength+1 {
			t.Errorf("DisplayName(%.40q) = %.60q: not safe to print", tc.name, got)
		}
	}
}
