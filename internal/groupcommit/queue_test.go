package groupcommit

import (
	"context"
	"errors"
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// recorder is a Queue over ints whose calls are recorded: Alone doubles its input, Shared answers each input
// plus 100 (or declines when decline says so), and the first call blocks until release is closed.
type recorder struct {
	Queue[int, int]
	mu      sync.Mutex
	alone   []int
	shared  [][]int
	release chan struct{}
	started atomic.Bool
	decline bool
}

func newRecorder(patience time.Duration) *recorder {
	r := &recorder{release: make(chan struct{})}
	r.Patience, r.Max = patience, 3
	r.Alone = func(ctx context.Context, in int) (int, error) {
		r.blockFirst()
		r.mu.Lock()
		defer r.mu.Unlock()
		r.alone = append(r.alone, in)
		return 2 * in, ctx.Err()
	}
	r.Shared = func(_ context.Context, ins []int) ([]int, bool) {
		r.blockFirst()
		r.mu.Lock()
		defer r.mu.Unlock()
		r.shared = append(r.shared, slices.Clone(ins))
		outs := make([]int, len(ins))
		for i, in := range ins {
			outs[i] = in + 100
		}
		return outs, !r.decline
	}
	return r
}

func (r *recorder) blockFirst() {
	if r.started.CompareAndSwap(false, true) {
		<-r.release
	}
}

// queueBehindFirst starts a call of input 1 that blocks in flight, then calls of inputs, each once the one
// before it queued; it returns a channel per call (the first's included) that gets its answer.
func (r *recorder) queueBehindFirst(t *testing.T, ctxs map[int]context.Context, inputs ...int) map[int]chan answer {
	t.Helper()
	answers := map[int]chan answer{}
	for i, in := range append([]int{1}, inputs...) {
		ctx := ctxs[in]
		if ctx == nil {
			ctx = t.Context()
		}
		answers[in] = make(chan answer, 1)
		go func() {
			out, err := r.Do(ctx, in)
			answers[in] <- answer{out, err}
		}()
		waitQueued(t, &r.Queue, i)
	}
	return answers
}

type answer struct {
	out int
	err error
}

func waitQueued(t *testing.T, q *Queue[int, int], n int) {
	t.Helper()
	for deadline := time.Now().Add(10 * time.Second); ; time.Sleep(time.Millisecond) {
		if waiting, leading := q.Queued(); leading && waiting == n {
			return
		}
		if time.Now().After(deadline) {
			waiting, _ := q.Queued()
			t.Fatalf("%d callers queued, want %d", waiting, n)
		}
	}
}

func TestCallersQueuedBehindACallInFlightShareOneCallAndEachGetsItsOwnAnswer(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name       string
		decline    bool
		wantShared [][]int
		wantAlone  []int
		want       map[int]int
	}{
		{name: "shared, at most Max a call", wantShared: [][]int{{2, 3, 4}, {5, 6}}, wantAlone: []int{1},
			want: map[int]int{1: 2, 2: 102, 3: 103, 4: 104, 5: 105, 6: 106}},
		{name: "a shared call that declines sends each caller alone", decline: true,
			wantShared: [][]int{{2, 3, 4}, {5, 6}}, wantAlone: []int{1, 2, 3, 4, 5, 6},
			want: map[int]int{1: 2, 2: 4, 3: 6, 4: 8, 5: 10, 6: 12}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Given a call in flight that holds the lead as long as it runs
			r := newRecorder(time.Hour)
			r.decline = tc.decline
			// When five more callers queue behind it and it ends
			answers := r.queueBehindFirst(t, nil, 2, 3, 4, 5, 6)
			close(r.release)
			// Then they go in groups of at most Max, each answered its own outcome
			for in, want := range tc.want {
				if got := <-answers[in]; got.err != nil || got.out != want {
					t.Errorf("caller %d: %d, %v; want %d", in, got.out, got.err, want)
				}
			}
			slices.Sort(r.alone)
			if !slices.Equal(r.alone, tc.wantAlone) || !slices.EqualFunc(r.shared, tc.wantShared, slices.Equal) {
				t.Errorf("alone %v, shared %v; want %v, %v", r.alone, r.shared, tc.wantAlone, tc.wantShared)
			}
		})
	}
}

func TestAQueuedCallerWhoseContextEndsLeavesWithItsErrorAndIsNotRun(t *testing.T) {
	t.Parallel()
	// Given a call in flight and three callers queued behind it, the second under a context that ends
	r := newRecorder(time.Hour)
	ending, cancel := context.WithCancel(t.Context())
	answers := r.queueBehindFirst(t, map[int]context.Context{3: ending}, 2, 3, 4)
	// When its context ends while the call in flight still runs
	cancel()
	// Then it is answered its context's error at once and leaves the queue
	if got := <-answers[3]; !errors.Is(got.err, context.Canceled) {
		t.Errorf("the caller whose context ended: %d, %v; want context.Canceled", got.out, got.err)
	}
	waitQueued(t, &r.Queue, 2)
	// and the others go together without it
	close(r.release)
	for _, in := range []int{1, 2, 4} {
		if got := <-answers[in]; got.err != nil {
			t.Errorf("caller %d: %v", in, got.err)
		}
	}
	if want := [][]int{{2, 4}}; !slices.EqualFunc(r.shared, want, slices.Equal) {
		t.Errorf("shared %v, want %v", r.shared, want)
	}
}

func TestACallStuckInFlightHoldsTheQueueForItsPatienceOnly(t *testing.T) {
	t.Parallel()
	// Given a call in flight that does not end
	r := newRecorder(20 * time.Millisecond)
	answers := r.queueBehindFirst(t, nil)
	// When another caller comes
	second := make(chan answer, 1)
	go func() {
		out, err := r.Do(t.Context(), 2)
		second <- answer{out, err}
	}()
	// Then it is run past the stuck call, which ends later
	select {
	case got := <-second:
		if got.err != nil || got.out != 4 {
			t.Errorf("the second caller: %d, %v; want 4", got.out, got.err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the second caller still waits behind the stuck call")
	}
	close(r.release)
	if got := <-answers[1]; got.err != nil || got.out != 2 {
		t.Errorf("the stuck call: %d, %v", got.out, got.err)
	}
}
