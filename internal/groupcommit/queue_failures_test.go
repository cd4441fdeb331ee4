package groupcommit

import (
	"context"
	"errors"
	"slices"
	"testing"
	"time"
)

func TestASharedCallEndsOnlyWhenEveryCallerInItHasGivenUp(t *testing.T) {
	t.Parallel()
	// Given a call in flight and two callers queued behind it, the first under a context that ends while
	// their shared call runs
	r := newRecorder(time.Hour)
	ending, cancel := context.WithCancel(t.Context())
	running, ended := make(chan struct{}), make(chan error, 1)
	r.Shared = func(ctx context.Context, ins []int) ([]int, bool) {
		close(running)
		<-ending.Done()
		time.Sleep(10 * time.Millisecond) // time for a wrongly wired cancellation to reach ctx
		ended <- ctx.Err()
		return []int{1, 2}, true
	}
	answers := r.queueBehindFirst(t, map[int]context.Context{2: ending}, 2, 3)
	close(r.release)
	<-running
	// When the first one's context ends while the shared call runs
	cancel()
	// Then the shared call goes on for the other, and both are answered as it landed
	if err := <-ended; err != nil {
		t.Errorf("the shared call's context ended with one caller still waiting: %v", err)
	}
	for in, want := range map[int]int{2: 1, 3: 2} {
		if got := <-answers[in]; got.err != nil || got.out != want {
			t.Errorf("caller %d: %d, %v; want %d", in, got.out, got.err, want)
		}
	}
}

func TestACallerWhoseContextEndedBeforeItsGroupRanIsLeftOut(t *testing.T) {
	t.Parallel()
	// Given two callers taken into one group, the first with a context that already ended
	r := newRecorder(time.Hour)
	r.started.Store(true) // nothing blocks
	gone, cancel := context.WithCancel(t.Context())
	cancel()
	left, kept := &member[int, int]{ctx: gone, in: 7, woken: make(chan struct{})},
		&member[int, int]{ctx: t.Context(), in: 8, woken: make(chan struct{})}
	r.waiting, r.leading = []*member[int, int]{left, kept}, true
	// When the group runs
	r.lead()
	// Then the first is answered its context's error and nothing is run for it; the other runs alone
	if !errors.Is(left.err, context.Canceled) || left.alone || kept.err != nil || kept.out != 16 {
		t.Errorf("left out: %v, alone %v; kept: %d, %v", left.err, left.alone, kept.out, kept.err)
	}
	if !slices.Equal(r.alone, []int{8}) || len(r.shared) != 0 {
		t.Errorf("alone %v, shared %v; want only the kept caller alone", r.alone, r.shared)
	}
}

func TestASharedCallThatFailsToAnswerSendsEachCallerAlone(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		shared func(ins []int) ([]int, bool)
		panics bool // the shared call's leader sees the panic
	}{
		{"it answers fewer callers than it took", func(ins []int) ([]int, bool) { return ins[:1], true }, false},
		{"it panics", func([]int) ([]int, bool) { panic("shared call failed") }, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Given a call in flight and two callers queued behind it, whose shared call fails to answer
			r := newRecorder(time.Hour)
			r.Shared = func(_ context.Context, ins []int) ([]int, bool) { return tc.shared(ins) }
			answers := map[int]chan answer{}
			for in := range 3 {
				answered := make(chan answer, 1)
				answers[in+1] = answered
				go func() {
					defer func() {
						if recover() != nil {
							answered <- answer{err: errors.New("panicked")}
						}
					}()
					out, err := r.Do(t.Context(), in+1)
					answered <- answer{out, err}
				}()
				waitQueued(t, &r.Queue, in)
			}
			// When the call in flight ends
			close(r.release)
			// Then the caller that led the shared call is answered alone or sees its panic, and the other
			// runs alone
			if got := <-answers[1]; got.err != nil || got.out != 2 {
				t.Errorf("caller 1: %d, %v", got.out, got.err)
			}
			for in := 2; in <= 3; in++ {
				got := <-answers[in]
				if tc.panics && got.err != nil && got.err.Error() == "panicked" {
					continue
				}
				if got.err != nil || got.out != 2*in {
					t.Errorf("caller %d: %d, %v; want %d alone", in, got.out, got.err, 2*in)
				}
			}
		})
	}
}
