package esdbtest_test

import (
	"context"
	"errors"
	"io"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/EventStore/EventStore-Client-Go/v4/esdb"
	"github.com/google/uuid"
	"github.com/pelcro-oss/pelcro-api/eventstore/esdbtest"
)

// callTimeout bounds every client call so that a server bug fails the test
// instead of hanging the suite.
const callTimeout = 10 * time.Second

// startWithClient runs a server and a real client connected to it.
func startWithClient(t *testing.T) (*esdbtest.Server, *esdb.Client) {
	t.Helper()
	server := esdbtest.Start(t)
	return server, connect(t, server.URL())
}

// connect builds a real client for a connection string and closes it at the end of the test.
func connect(t *testing.T, url string) *esdb.Client {
	t.Helper()
	config, err := esdb.ParseConnectionString(url)
	noError(t, err)
	config.Logger = esdb.NoopLogging()
	client, err := esdb.NewClient(config)
	noError(t, err)
	t.Cleanup(func() { _ = client.Close() })
	return client
}

// deadline returns a context that ends with the test or after callTimeout.
func deadline(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(context.Background(), callTimeout)
	t.Cleanup(cancel)
	return ctx
}

// newEvent is a JSON event with a fresh id.
func newEvent(eventType string) esdb.EventData {
	return esdb.EventData{
		EventID:     uuid.New(),
		EventType:   eventType,
		ContentType: esdb.ContentTypeJson,
		Data:        []byte(`{"n":1}`),
	}
}

// appendEvents appends events of the given types with Any and fails the test on error.
func appendEvents(t *testing.T, client *esdb.Client, stream string, types ...string) *esdb.WriteResult {
	t.Helper()
	events := make([]esdb.EventData, len(types))
	for i, eventType := range types {
		events[i] = newEvent(eventType)
	}
	result, err := client.AppendToStream(deadline(t), stream, esdb.AppendToStreamOptions{}, events...)
	noError(t, err)
	return result
}

// drain reads a bounded read to its end.
func drain(read *esdb.ReadStream, err error) ([]*esdb.ResolvedEvent, error) {
	if err != nil {
		return nil, err
	}
	defer read.Close()
	var events []*esdb.ResolvedEvent
	for {
		event, err := read.Recv()
		if errors.Is(err, io.EOF) {
			return events, nil
		}
		if err != nil {
			return events, err
		}
		events = append(events, event)
	}
}

// eventTypes lists the types of events, in order.
func eventTypes(events []*esdb.ResolvedEvent) []string {
	types := make([]string, len(events))
	for i, e := range events {
		types[i] = e.Event.EventType
	}
	return types
}

// errorCode checks the esdb error code the client returned.
func errorCode(t *testing.T, err error, code esdb.ErrorCode) {
	t.Helper()
	var esdbErr *esdb.Error
	if !errors.As(err, &esdbErr) {
		t.Fatalf("got error %v, want an *esdb.Error with code %d", err, code)
	}
	if esdbErr.Code() != code {
		t.Fatalf("got error code %d (%v), want %d", esdbErr.Code(), err, code)
	}
}

// noError fails the test at once on an unexpected error.
func noError(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatalf("unexpected error: %v", err)
	}
}

// equal fails the test at once when got differs from want.
func equal[T any](t *testing.T, want, got T, what string) {
	t.Helper()
	if !reflect.DeepEqual(want, got) {
		t.Fatalf("%s: got %v, want %v", what, got, want)
	}
}

// contains fails the test when s lacks part.
func contains(t *testing.T, s, part string) {
	t.Helper()
	if !strings.Contains(s, part) {
		t.Fatalf("%q does not contain %q", s, part)
	}
}
