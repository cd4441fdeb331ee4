package esdbtest_test

import (
	"testing"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
)

func TestReadStreamBoundaries(t *testing.T) {
	t.Parallel()
	// Given a stream with revisions 0..4 typed E0..E4
	_, client := startWithClient(t)
	appendEvents(t, client, "numbers", "E0", "E1", "E2", "E3", "E4")
	cases := []struct {
		name      string
		direction esdb.Direction
		from      esdb.StreamPosition
		count     uint64
		want      []string
	}{
		{"forwards from start", esdb.Forwards, esdb.Start{}, 100, []string{"E0", "E1", "E2", "E3", "E4"}},
		{"forwards from a revision is inclusive", esdb.Forwards, esdb.Revision(3), 100, []string{"E3", "E4"}},
		{"forwards with a count", esdb.Forwards, esdb.Revision(1), 2, []string{"E1", "E2"}},
		{"forwards from end is empty", esdb.Forwards, esdb.End{}, 100, nil},
		{"forwards past the end is empty", esdb.Forwards, esdb.Revision(9), 100, nil},
		{"backwards from end", esdb.Backwards, esdb.End{}, 100, []string{"E4", "E3", "E2", "E1", "E0"}},
		{"backwards from a revision is inclusive", esdb.Backwards, esdb.Revision(1), 100, []string{"E1", "E0"}},
		{"backwards with a count", esdb.Backwards, esdb.End{}, 2, []string{"E4", "E3"}},
		{"backwards from start", esdb.Backwards, esdb.Start{}, 100, []string{"E0"}},
		{"backwards from past the end", esdb.Backwards, esdb.Revision(9), 1, []string{"E4"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// When
			events, err := drain(client.ReadStream(deadline(t), "numbers",
				esdb.ReadStreamOptions{Direction: tc.direction, From: tc.from}, tc.count))
			// Then
			noError(t, err)
			if len(tc.want) == 0 && len(events) == 0 {
				return
			}
			equal(t, tc.want, eventTypes(events), "event types")
		})
	}
}

func TestReadStreamReturnsRecordedFields(t *testing.T) {
	t.Parallel()
	// Given
	_, client := startWithClient(t)
	sent := newEvent("Typed")
	sent.Metadata = []byte(`{"who":"test"}`)
	written, err := client.AppendToStream(deadline(t), "fields", esdb.AppendToStreamOptions{}, sent)
	noError(t, err)
	// When
	events, err := drain(client.ReadStream(deadline(t), "fields", esdb.ReadStreamOptions{}, 1))
	// Then
	noError(t, err)
	got := events[0].Event
	equal(t, sent.EventID, got.EventID, "event id")
	equal(t, "fields", got.StreamID, "stream")
	equal(t, "application/json", got.ContentType, "content type")
	equal(t, string(sent.Data), string(got.Data), "data")
	equal(t, string(sent.Metadata), string(got.UserMetadata), "user metadata")
	equal(t, written.CommitPosition, got.Position.Commit, "position")
	if got.CreatedDate.IsZero() {
		t.Fatal("created date is missing")
	}
}

func TestReadMissingStreamIsResourceNotFound(t *testing.T) {
	t.Parallel()
	// Given
	_, client := startWithClient(t)
	// When
	_, err := drain(client.ReadStream(deadline(t), "missing", esdb.ReadStreamOptions{}, 10))
	// Then
	errorCode(t, err, esdb.ErrorCodeResourceNotFound)
}

func TestReadAllFollowsCommitOrderAndPositionBoundaries(t *testing.T) {
	t.Parallel()
	// Given three streams appended in turn
	_, client := startWithClient(t)
	appendEvents(t, client, "a", "A0", "A1")
	middle := appendEvents(t, client, "b", "B0")
	appendEvents(t, client, "a", "A2")
	at := esdb.Position{Commit: middle.CommitPosition, Prepare: middle.PreparePosition}
	cases := []struct {
		name      string
		direction esdb.Direction
		from      esdb.AllPosition
		count     uint64
		want      []string
	}{
		{"forwards from start", esdb.Forwards, esdb.Start{}, 100, []string{"A0", "A1", "B0", "A2"}},
		{"forwards from a position is inclusive", esdb.Forwards, at, 100, []string{"B0", "A2"}},
		{"forwards from end is empty", esdb.Forwards, esdb.End{}, 100, nil},
		{"backwards from end", esdb.Backwards, esdb.End{}, 3, []string{"A2", "B0", "A1"}},
		{"backwards from a position is exclusive", esdb.Backwards, at, 100, []string{"A1", "A0"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// When
			events, err := drain(client.ReadAll(deadline(t),
				esdb.ReadAllOptions{Direction: tc.direction, From: tc.from}, tc.count))
			// Then
			noError(t, err)
			if len(tc.want) == 0 && len(events) == 0 {
				return
			}
			equal(t, tc.want, eventTypes(events), "event types")
		})
	}
}
