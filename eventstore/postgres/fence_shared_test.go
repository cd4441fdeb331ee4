package postgres

import (
	"context"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"
)

func TestASharedFenceIsNeverOlderThanTheCallButIsShared(t *testing.T) {
	t.Parallel()
	synctest.Test(t, sharedRounds)
}

// sharedRounds runs in a synctest bubble, so synctest.Wait knows when every reader is blocked.
func sharedRounds(t *testing.T) {
	var f sharedFence
	var rounds atomic.Int32
	gates := make(chan chan struct{}, 10) // each round waits on the gate it takes
	compute := func() (string, error) {
		gate := make(chan struct{})
		gates <- gate
		<-gate
		return strconv.Itoa(int(rounds.Add(1))), nil
	}
	get := func() <-chan string {
		out := make(chan string, 1)
		go func() {
			v, err := f.get(context.Background(), compute)
			if err != nil {
				t.Error(err)
			}
			out <- v
		}()
		return out
	}
	// Given a round running for a first reader,
	first := get()
	gate1 := <-gates
	// when two more readers ask while it runs,
	second, third := get(), get()
	synctest.Wait() // both wait for the running round
	close(gate1)
	// then the first gets that round, and the two later readers share one later round.
	if v := <-first; v != "1" {
		t.Fatalf("first reader got round %s, want 1", v)
	}
	close(<-gates)
	if a, b := <-second, <-third; a != "2" || b != "2" {
		t.Fatalf("later readers got rounds %s and %s, want both 2 (started after they asked, and shared)", a, b)
	}
	select {
	case <-gates:
		t.Fatal("a third round ran")
	default:
	}
}

func TestASharedFenceReaderGivesUpWithItsContext(t *testing.T) {
	t.Parallel()
	var f sharedFence
	running, release := make(chan struct{}), make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		_, _ = f.get(context.Background(), func() (string, error) { close(running); <-release; return "1", nil })
	})
	<-running
	// a reader that asks while that round runs waits for the next, and gives up at its deadline
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	if _, err := f.get(ctx, func() (string, error) { return "2", nil }); err != context.DeadlineExceeded {
		t.Fatalf("err = %v, want the reader's deadline", err)
	}
	close(release)
	wg.Wait()
}
