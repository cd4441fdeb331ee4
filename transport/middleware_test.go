package transport

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"testing"
)

func TestInputFailuresThroughTheRouter(t *testing.T) {
	t.Parallel()
	router := newTestRouter(t, Dependencies{Sites: testSites, MaxBodyBytes: 64})
	chunked := request("POST", probePath+"?site_id=1232", "application/json", `{"note":"`+strings.Repeat("x", 100)+`"}`)
	chunked.ContentLength = -1 // as a chunked upload: the size is only found out while reading
	cases := []struct {
		name        string
		req         *http.Request
		wantStatus  int
		wantMessage string
	}{
		{"malformed JSON", request("POST", probePath+"?site_id=1232", "application/json", `{"note":`),
			400, "The request body is not valid JSON."},
		{"malformed JSON, in the query's language", request("POST", probePath+"?site_id=1232&language=es", "application/json", `{"note`),
			400, "El cuerpo de la solicitud no es un JSON válido."},
		{"announced oversized body", request("POST", probePath+"?site_id=1232", "application/json", strings.Repeat(" ", 65)),
			413, "The request body is too large."},
		{"chunked oversized body", chunked, 413, "The request body is too large."},
		{"unsupported content type", request("POST", probePath+"?site_id=1232", "text/plain", "hi"),
			415, "The request body must be JSON or form-encoded."},
		{"unknown path", request("GET", APIBasePath+"/nowhere", "", ""), 404, "The requested resource was not found."},
		{"wrong method", request("DELETE", probePath, "", ""), 405, "This method is not allowed for the requested resource."},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			assertError(t, serve(router, tc.req), tc.wantStatus, tc.wantMessage)
		})
	}
}

func TestPanicBecomesA500WithoutInternals(t *testing.T) {
	t.Parallel()
	// given a handler that panics after setting a cache validator, and a log we can read
	var logs bytes.Buffer
	router := newTestRouter(t, Dependencies{Sites: testSites, Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	req := request("GET", probePath+"?site_id=1232&panic=1&language=it", "", "")
	req.Header.Set(requestIDHeader, "trace-42")
	// when it is called
	rec := serve(router, req)
	// then the client gets the generic 500 in the error shape, localised, uncacheable, with no stack
	assertError(t, rec, http.StatusInternalServerError, "Si è verificato un errore imprevisto. Riprova più tardi.")
	if rec.Header().Get("ETag") != "" || strings.Contains(rec.Body.String(), "goroutine") {
		t.Fatalf("500 leaks handler state: headers %v body %s", rec.Header(), rec.Body)
	}
	// and the log has the panic and stack, and the access line records the 500, both under the server's
	// request id and the client's
	panicked := logLine(t, &logs, "handler panicked")
	if panicked["panic"] != "probe asked to panic" || !strings.Contains(fmt.Sprint(panicked["stack"]), "goroutine") {
		t.Fatalf("log lacks the panic and its stack: %s", logs.String())
	}
	access := accessLine(t, &logs)
	if access["status"] != float64(500) || access["client_request_id"] != "trace-42" {
		t.Fatalf("access log = %v, want status 500 for trace-42", access)
	}
	if panicked["request_id"] != access["request_id"] || panicked["client_request_id"] != "trace-42" {
		t.Fatalf("panic line ids %v/%v, want the access line's %v/trace-42", panicked["request_id"],
			panicked["client_request_id"], access["request_id"])
	}
}

func TestRequestIDIsEchoedOrGenerated(t *testing.T) {
	t.Parallel()
	router := newTestRouter(t, Dependencies{Sites: testSites})
	cases := []struct {
		name, incoming string
		wantEcho       bool
	}{
		{"sane id is kept", "4bf92f3577b34da6a3ce929d0e0e4736", true},
		{"uuid is kept", "0f8fad5b-d9cb-469f-a165-70867728950e", true},
		{"missing id is generated", "", false},
		{"id with spaces is replaced", "a b", false},
		{"log injection is replaced", "x\"\ninjected", false},
		{"overlong id is replaced", strings.Repeat("a", 129), false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			req := request("GET", "/healthz", "", "")
			if tc.incoming != "" {
				req.Header.Set(requestIDHeader, tc.incoming)
			}
			got := serve(router, req).Header().Get(requestIDHeader)
			if tc.wantEcho && got != tc.incoming {
				t.Fatalf("X-Request-Id = %q, want the caller's %q", got, tc.incoming)
			}
			if !tc.wantEcho && (got == tc.incoming || !saneRequestID(got)) {
				t.Fatalf("X-Request-Id = %q, want a fresh sane id", got)
			}
		})
	}
}

func TestCORS(t *testing.T) {
	t.Parallel()
	preflight := func(origin string) *http.Request {
		req := request("OPTIONS", probePath+"?site_id=1232", "", "")
		req.Header.Set("Origin", origin)
		req.Header.Set("Access-Control-Request-Method", "POST")
		req.Header.Set("Access-Control-Request-Headers", "authorization, content-type")
		return req
	}
	t.Run("default allows any origin, without credentials", func(t *testing.T) {
		t.Parallel()
		rec := serve(newTestRouter(t, Dependencies{Sites: testSites}), preflight("https://news.example"))
		if rec.Code != http.StatusNoContent || rec.Header().Get("Access-Control-Allow-Origin") != "*" ||
			rec.Header().Get("Access-Control-Allow-Credentials") != "" {
			t.Fatalf("preflight = %d %v", rec.Code, rec.Header())
		}
		if got := rec.Header().Get("Access-Control-Allow-Headers"); !strings.Contains(strings.ToLower(got), "authorization") {
			t.Fatalf("Access-Control-Allow-Headers = %q, want authorization allowed", got)
		}
	})
	t.Run("configured origins only", func(t *testing.T) {
		t.Parallel()
		router := newTestRouter(t, Dependencies{Sites: testSites, AllowedOrigins: []string{"https://shop.example"}})
		if got := serve(router, preflight("https://shop.example")).Header().Get("Access-Control-Allow-Origin"); got != "https://shop.example" {
			t.Fatalf("allowed origin: Access-Control-Allow-Origin = %q", got)
		}
		if got := serve(router, preflight("https://evil.example")).Header().Get("Access-Control-Allow-Origin"); got != "" {
			t.Fatalf("foreign origin: Access-Control-Allow-Origin = %q, want none", got)
		}
	})
	t.Run("actual responses expose the headers front ends read", func(t *testing.T) {
		t.Parallel()
		req := request("GET", probePath+"?site_id=1232", "", "")
		req.Header.Set("Origin", "https://news.example")
		got := serve(newTestRouter(t, Dependencies{Sites: testSites}), req).Header().Get("Access-Control-Expose-Headers")
		for _, h := range []string{"Content-Language", "Etag", "X-Request-Id"} {
			if !strings.Contains(got, h) {
				t.Fatalf("Access-Control-Expose-Headers = %q, lacks %s", got, h)
			}
		}
	})
}

func TestAccessLogNamesTheRouteNotThePersonalData(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	router := newTestRouter(t, Dependencies{Sites: testSites, Logger: slog.New(slog.NewJSONHandler(&logs, nil))})
	serve(router, request("GET", probePath+"?site_id=77&note=jane%40example.com", "", ""))
	line := accessLine(t, &logs)
	if line["route"] != probePath || line["site_id"] != float64(77) || line["language"] != "fr" || line["status"] != float64(200) ||
		line["method"] != "GET" || line["level"] != "INFO" {
		t.Fatalf("access log = %v", line)
	}
	if micros, ok := line["duration_us"].(float64); !ok || micros < 0 || micros != float64(int64(micros)) {
		t.Fatalf("access log duration_us = %v, want whole microseconds", line["duration_us"])
	}
	if bytes, ok := line["bytes"].(float64); !ok || bytes <= 0 {
		t.Fatalf("access log bytes = %v, want the body's size", line["bytes"])
	}
	if strings.Contains(logs.String(), "jane") {
		t.Fatalf("access log leaks the query: %s", logs.String())
	}
}

// accessLine returns the last "http request" log line as JSON.
func accessLine(t *testing.T, logs *bytes.Buffer) map[string]any {
	t.Helper()
	return logLine(t, logs, "http request")
}

// logLine returns the last log line with the message msg as JSON.
func logLine(t *testing.T, logs *bytes.Buffer, msg string) map[string]any {
	t.Helper()
	var line map[string]any
	decoder := json.NewDecoder(bytes.NewReader(logs.Bytes()))
	for {
		var entry map[string]any
		if err := decoder.Decode(&entry); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("log is not JSON lines: %v", err)
		}
		if entry["msg"] == msg {
			line = entry
		}
	}
	if line == nil {
		t.Fatalf("no %q log line in %s", msg, logs.String())
	}
	return line
}
