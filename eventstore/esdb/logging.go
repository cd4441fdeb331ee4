package esdb

import (
	"fmt"
	"log/slog"

	esdbclient "github.com/EventStore/EventStore-Client-Go/v4/esdb"
)

// clientLogger forwards the client's warnings and errors to slog and drops its debug and info lines
// (every discovery step and subscription event), which would otherwise flood service logs and test output.
// The adapter reports what matters to callers through its own errors.
func clientLogger(level esdbclient.LogLevel, format string, args ...any) {
	switch level {
	case esdbclient.LogWarn:
		slog.Warn("esdb client: " + fmt.Sprintf(format, args...))
	case esdbclient.LogError:
		slog.Error("esdb client: " + fmt.Sprintf(format, args...))
	}
}
