package esdbtest_test

import (
	"testing"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
)

func TestAppendChecksExpectedRevision(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name         string
		streamExists bool // the stream holds revisions 0 and 1 beforehand
		expected     esdb.ExpectedRevision
		wantRevision uint64
		wantWrong    string // the client's wrong-expected-version text, empty on success
	}{
		{"any on a new stream", false, esdb.Any{}, 0, ""},
		{"any on an existing stream", true, esdb.Any{}, 2, ""},
		{"no stream on a new stream", false, esdb.NoStream{}, 0, ""},
		{"no stream on an existing stream", true, esdb.NoStream{}, 0, "expecting 'no_stream' but got '1'"},
		{"stream exists on a new stream", false, esdb.StreamExists{}, 0, "expecting 'stream_exists' but got 'no_stream'"},
		{"stream exists on an existing stream", true, esdb.StreamExists{}, 2, ""},
		{"exact current revision", true, esdb.Revision(1), 2, ""},
		{"exact stale revision", true, esdb.Revision(0), 0, "expecting '0' but got '1'"},
		{"exact future revision", true, esdb.Revision(5), 0, "expecting '5' but got '1'"},
		{"exact revision on a new stream", false, esdb.Revision(0), 0, "expecting '0' but got 'no_stream'"},
	}
	_, client := startWithClient(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Given
			stream := "append-" + t.Name()
			if tc.streamExists {
				appendEvents(t, client, stream, "Seeded", "Seeded")
			}
			// When
			result, err := client.AppendToStream(deadline(t), stream,
				esdb.AppendToStreamOptions{ExpectedRevision: tc.expected}, newEvent("Appended"))
			// Then
			if tc.wantWrong != "" {
				errorCode(t, err, esdb.ErrorCodeWrongExpectedVersion)
				contains(t, err.Error(), tc.wantWrong)
				return
			}
			noError(t, err)
			equal(t, tc.wantRevision, result.NextExpectedVersion, "next expected version")
		})
	}
}

func TestAppendPositionsIncreaseInCommitOrder(t *testing.T) {
	t.Parallel()
	// Given
	_, client := startWithClient(t)
	// When
	first := appendEvents(t, client, "positions-a", "A", "A")
	second := appendEvents(t, client, "positions-b", "B")
	// Then
	equal(t, first.CommitPosition, first.PreparePosition, "prepare position")
	if first.CommitPosition == 0 || second.CommitPosition <= first.CommitPosition {
		t.Fatalf("positions %d then %d do not increase from above zero", first.CommitPosition, second.CommitPosition)
	}
}

func TestAppendRetryWithSameEventIDsIsIdempotent(t *testing.T) {
	t.Parallel()
	first, second, third := newEvent("First"), newEvent("Second"), newEvent("Third")
	cases := []struct {
		name      string
		expected  esdb.ExpectedRevision
		retry     []esdb.EventData
		wantWrong bool
	}{
		{"no stream, full retry", esdb.NoStream{}, []esdb.EventData{first, second}, false},
		{"any, full retry", esdb.Any{}, []esdb.EventData{first, second}, false},
		{"any, retry of a later slice", esdb.Any{}, []esdb.EventData{second}, false},
		{"stream exists, full retry", esdb.StreamExists{}, []esdb.EventData{first, second}, false},
		{"no stream, partial overlap", esdb.NoStream{}, []esdb.EventData{first, third}, true},
		{"any, partial overlap", esdb.Any{}, []esdb.EventData{second, third}, true},
		{"exact revision, ids elsewhere", esdb.Revision(0), []esdb.EventData{first}, true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// Given a stream written once with NoStream
			_, client := startWithClient(t)
			original, err := client.AppendToStream(deadline(t), "retried",
				esdb.AppendToStreamOptions{ExpectedRevision: esdb.NoStream{}}, first, second)
			noError(t, err)
			// When the write is retried
			result, err := client.AppendToStream(deadline(t), "retried",
				esdb.AppendToStreamOptions{ExpectedRevision: tc.expected}, tc.retry...)
			// Then
			if tc.wantWrong {
				errorCode(t, err, esdb.ErrorCodeWrongExpectedVersion)
			} else {
				noError(t, err)
				if len(tc.retry) == 2 {
					equal(t, *original, *result, "retry result")
				}
			}
			events, err := drain(client.ReadStream(deadline(t), "retried", esdb.ReadStreamOptions{}, 100))
			noError(t, err)
			equal(t, []string{"First", "Second"}, eventTypes(events), "events after the retry")
		})
	}
}

func TestConcurrentAppendsWithTheSameExpectationHaveOneWinner(t *testing.T) {
	t.Parallel()
	// Given
	const writers = 8
	_, client := startWithClient(t)
	results := make(chan error, writers)
	// When every writer claims the stream's first revision
	for range writers {
		go func() {
			_, err := client.AppendToStream(deadline(t), "contended",
				esdb.AppendToStreamOptions{ExpectedRevision: esdb.NoStream{}}, newEvent("Claim"))
			results <- err
		}()
	}
	// Then exactly one succeeds and the others see a wrong expected version
	wins := 0
	for range writers {
		if err := <-results; err == nil {
			wins++
		} else {
			errorCode(t, err, esdb.ErrorCodeWrongExpectedVersion)
		}
	}
	equal(t, 1, wins, "successful writers")
}
