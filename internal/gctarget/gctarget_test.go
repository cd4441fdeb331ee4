package gctarget

import "testing"

func TestTheGCTargetIsRaisedOnlyWhenTheOperatorSetNone(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		env         map[string]string
		wantApply   bool
		wantPercent int
	}{
		{name: "nothing set", env: map[string]string{}, wantApply: true, wantPercent: Percent},
		{name: "GOGC set", env: map[string]string{"GOGC": "100"}},
		{name: "GOGC off", env: map[string]string{"GOGC": "off"}},
		{name: "GOMEMLIMIT set", env: map[string]string{"GOMEMLIMIT": "512MiB"}},
		{name: "both set", env: map[string]string{"GOGC": "50", "GOMEMLIMIT": "1GiB"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// Given the environment; when a command decides the collector's target.
			percent, apply := Default(func(k string) string { return tt.env[k] })
			// Then it applies its own only when the operator chose none.
			if apply != tt.wantApply || percent != tt.wantPercent {
				t.Fatalf("Default = %d, %v; want %d, %v", percent, apply, tt.wantPercent, tt.wantApply)
			}
		})
	}
}
