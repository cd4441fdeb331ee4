package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/pelcro-oss/pelcro-api/bench/internal/httpload"
)

// recordedAnswer is one answer of the API as a client received it: status, headers and body.
type recordedAnswer struct {
	status int
	header http.Header
	body   []byte
}

// bareHandler is the baseline: net/http doing nothing but sending, for each request of the rotation, the
// bytes and headers the API sent to the same request at start-up (recordAnswers), found by its query string
// and forwarded address (answerKey).
// It keeps the comparison about the work around the answer, not about answering smaller or with fewer
// headers: a bare side sending three headers and a shorter body measured the API's headers as overhead.
func bareHandler(answers map[string]recordedAnswer) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		answer, ok := answers[answerKey(r.URL.RawQuery, r.Header)]
		if !ok {
			w.WriteHeader(http.StatusNotFound)
			return
		}
		header := w.Header()
		for name, values := range answer.header {
			header[name] = values
		}
		w.WriteHeader(answer.status)
		_, _ = w.Write(answer.body)
	})
}

// answerKey tells the rotation's requests apart: their query string and, for the IP authorizations, the
// caller's address the proxy forwarded.
func answerKey(rawQuery string, header http.Header) string {
	return rawQuery + "|" + header.Get("X-Forwarded-For")
}

// recordAnswers asks the API each request of the rotation once and keeps its answer, keyed by answerKey,
// less the Date header that net/http adds to both sides by itself. Every answer must have the status the
// rotation expects.
func recordAnswers(ctx context.Context, requests []httpload.Request) (map[string]recordedAnswer, error) {
	client := &http.Client{Transport: &http.Transport{DisableCompression: true}}
	defer client.CloseIdleConnections()
	answers := make(map[string]recordedAnswer, len(requests))
	for _, req := range requests {
		target, err := url.Parse(req.URL)
		if err != nil {
			return nil, err
		}
		answer, err := record(ctx, client, req)
		if err != nil {
			return nil, err
		}
		if answer.status != req.Status {
			return nil, fmt.Errorf("GET %s: status %d, want %d: %.300s", req.URL, answer.status, req.Status, answer.body)
		}
		answers[answerKey(target.RawQuery, req.Header)] = answer
	}
	return answers, nil
}

// record sends one GET with its headers, as the load generator does (no compression asked), and returns
// its answer.
func record(ctx context.Context, client *http.Client, request httpload.Request) (recordedAnswer, error) {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, request.URL, nil)
	if err != nil {
		return recordedAnswer{}, err
	}
	for name, values := range request.Header {
		req.Header[name] = values
	}
	resp, err := client.Do(req)
	if err != nil {
		return recordedAnswer{}, err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		return recordedAnswer{}, err
	}
	header := resp.Header.Clone()
	header.Del("Date")
	return recordedAnswer{status: resp.StatusCode, header: header, body: body}, nil
}
