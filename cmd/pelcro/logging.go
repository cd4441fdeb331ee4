package main

import (
	"context"
	"io"
	"log/slog"
	"strings"

	"google.golang.org/grpc/grpclog"
)

// newLogger is the process's one log format: JSON lines on w, from level up. Installed as slog's default, it
// also carries what libraries log through slog.Default or the standard log package (the EventStoreDB
// client's lines, goose's migrations), so operators parse a single format.
func newLogger(w io.Writer, level slog.Level) *slog.Logger {
	return slog.New(slog.NewJSONHandler(w, &slog.HandlerOptions{Level: level}))
}

// logger is the logger of the running command, installed by the root command before any sub-command runs.
func logger() *slog.Logger { return slog.Default() }

// routeGRPCLogs sends gRPC's own lines (the EventStoreDB client's transport) through the default slog logger
// in force when they happen: errors as errors, warnings at debug (gRPC hides them by default, and each
// repeats a warning of the EventStoreDB client), info lines (one per connection state change) nowhere. gRPC
// reads its logger without a lock: call this once, before any connection exists (main does).
func routeGRPCLogs() {
	grpclog.SetLoggerV2(grpclog.NewLoggerV2(io.Discard, slogWriter(slog.LevelDebug), slogWriter(slog.LevelError)))
}

// slogWriter logs each line a standard log.Logger writes to it at its level on the default logger, without
// the logger's own "2006/01/02 15:04:05 SEVERITY: " prefix (slog has the time and level).
type slogWriter slog.Level

func (w slogWriter) Write(line []byte) (int, error) {
	text := strings.TrimSpace(string(line))
	if _, message, found := strings.Cut(text, ": "); found {
		text = message
	}
	slog.Default().Log(context.Background(), slog.Level(w), text)
	return len(line), nil
}
