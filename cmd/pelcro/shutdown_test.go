package main

import (
	"context"
	"errors"
	"testing"
	"time"
)

func TestFinishWithinGivesUpOnARunThatIgnoresTheEnd(t *testing.T) {
	t.Parallel()
	failed := errors.New("failed at start")
	release := make(chan struct{})
	t.Cleanup(func() { close(release) })
	cases := []struct {
		name    string
		run     func(ctx context.Context) error
		wantErr string
	}{
		{"a run that stops when asked returns its result", func(ctx context.Context) error { <-ctx.Done(); return nil }, ""},
		{"a run that fails before the end returns its error", func(context.Context) error { return failed }, failed.Error()},
		{"a run that never stops is given up on", func(context.Context) error { <-release; return nil },
			"shutdown: still stopping 50ms after the signal; exiting anyway"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given a running run, when its context ends
			ctx, cancel := context.WithCancel(context.Background())
			go func() { time.Sleep(10 * time.Millisecond); cancel() }()
			err := finishWithin(ctx, 50*time.Millisecond, func() error { return tc.run(ctx) })

			// then finishWithin returns the run's result, or gives up after the limit
			if got := errString(err); got != tc.wantErr {
				t.Fatalf("finishWithin = %v, want %q", err, tc.wantErr)
			}
		})
	}
}

func errString(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}
