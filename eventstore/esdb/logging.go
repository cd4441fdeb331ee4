package esdb

import (
	"context"
	"fmt"
	"log/slog"

	esdbclient "github.com/EventStore/EventStore-Client-Go/v4/esdb"
)

// clientLogger forwards the client's lines to the default slog logger, so they come out in the process's
// one format: warnings and errors at their level, its debug and info lines (every discovery step and
// subscription event, which would flood service logs and test output) at debug, seen only when asked for.
// The adapter reports what matters to callers through its own errors.
func clientLogger(level esdbclient.LogLevel, format string, args ...any) {
	severity := slog.LevelDebug
	switch level {
	case esdbclient.LogWarn:
		severity = slog.LevelWarn
	case esdbclient.LogError:
		severity = slog.LevelError
	}
	ctx := context.Background()
	if logger := slog.Default(); logger.Enabled(ctx, severity) {
		logger.Log(ctx, severity, "esdb client: "+fmt.Sprintf(format, args...))
	}
}
