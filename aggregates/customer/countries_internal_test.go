package customer

import (
	"strings"
	"testing"
)

// TestCountryAndStateSetsArePinned guards library upgrades: a code that leaves a set makes stored addresses
// naming it impossible to update unchanged, so a change of size must be a decision, not a surprise.
func TestCountryAndStateSetsArePinned(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name     string
		set      map[string]bool
		size     int
		some     string // codes the set holds
		notThese string // codes it must not hold
	}{
		{"ISO 3166-1 countries", countryCodes, 249, "CA US FR CI SS BQ CW SX AX GB", "AN XK YU UK EU ZZ"},
		{"US states, DC, territories, military", statesByCountry["US"], 60, "AL NY DC PR GU VI UM AA AE AP", "QC US-NY"},
		{"Canadian provinces and territories", statesByCountry["CA"], 13, "QC ON BC NL NU YT", "NF PQ"},
		{"Australian states and territories", statesByCountry["AU"], 8, "ACT NSW NT QLD SA TAS VIC WA", "NY"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given the set the library gives, then it has the size and members ISO 3166 has today
			if len(tc.set) != tc.size {
				t.Errorf("%d codes, want %d", len(tc.set), tc.size)
			}
			for _, code := range strings.Fields(tc.some) {
				if !tc.set[code] {
					t.Errorf("%s is missing", code)
				}
			}
			for _, code := range strings.Fields(tc.notThese) {
				if tc.set[code] {
					t.Errorf("%s is there", code)
				}
			}
		})
	}
}
