package main

import (
	"bytes"
	"encoding/json"
	"net"
	"os"
	"os/exec"
	"slices"
	"strings"
	"testing"
)

// childArgs, set in a child process's environment, makes TestMain run the binary's main with these
// arguments (a JSON array) instead of the tests: logs go to the real standard error, as in production.
const childArgs = "PELCRO_TEST_MAIN_ARGS"

func TestMain(m *testing.M) {
	if encoded := os.Getenv(childArgs); encoded != "" {
		var args []string
		if err := json.Unmarshal([]byte(encoded), &args); err != nil {
			panic(err)
		}
		os.Args = append([]string{"pelcro"}, args...)
		main()
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// logRecord is one line of the JSON log.
type logRecord struct {
	Level string `json:"level"`
	Msg   string `json:"msg"`
}

// runPelcroProcess runs pelcro with args in a child process and returns its log records; it fails the test
// on a line of standard error that is neither a JSON record nor the final one-line reason of a failure.
func runPelcroProcess(t *testing.T, env []string, args ...string) []logRecord {
	t.Helper()
	encoded, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	child := exec.CommandContext(t.Context(), os.Args[0])
	child.Env = append(append(os.Environ(), childArgs+"="+string(encoded)), env...)
	var stderr bytes.Buffer
	child.Stderr = &stderr
	_ = child.Run() // the exit status is not the point: its logs are
	var records []logRecord
	for line := range strings.Lines(stderr.String()) {
		var record logRecord
		if err := json.Unmarshal([]byte(line), &record); err != nil || record.Level == "" {
			if !strings.HasPrefix(line, "pelcro: ") {
				t.Errorf("a log line is not JSON: %q", line)
			}
			continue
		}
		records = append(records, record)
	}
	return records
}

// unreachableNode is an EventStoreDB URL where nothing listens, so the client logs its discovery attempts.
func unreachableNode(t *testing.T) string {
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	_ = listener.Close()
	return "esdb://" + listener.Addr().String() + "?tls=false"
}

func TestLogsAreJSONLinesFromTheChosenLevel(t *testing.T) {
	t.Parallel()
	databaseURL := migratedDatabase(t)
	node := unreachableNode(t)
	tests := []struct {
		name       string
		env        []string
		args       []string
		wantLevels []string // levels that must appear
		noLevels   []string // levels that must not appear
		wantPrefix string   // a message of wantLevels[0] starts with it
	}{
		{"the default level logs info", nil,
			[]string{"--database-url", databaseURL, "--eventstore-url", "", "migrate"},
			[]string{"INFO"}, []string{"DEBUG"}, "migrations applied"},
		{"--log-level warn hides info", nil,
			[]string{"--log-level", "warn", "--database-url", databaseURL, "--eventstore-url", "", "migrate"},
			nil, []string{"DEBUG", "INFO"}, ""},
		{"--log-level debug shows the EventStoreDB client's steps, in JSON", nil,
			[]string{"--log-level", "debug", "--database-url", databaseURL, "--eventstore-url", node, "projections", "list"},
			[]string{"DEBUG", "WARN"}, nil, "esdb client: "},
		{"PELCRO_LOG_LEVEL=error hides the client's warnings", []string{"PELCRO_LOG_LEVEL=error"},
			[]string{"--database-url", databaseURL, "--eventstore-url", node, "projections", "list"},
			nil, []string{"DEBUG", "INFO", "WARN"}, ""},
		{"a flag overrides PELCRO_LOG_LEVEL", []string{"PELCRO_LOG_LEVEL=error"},
			[]string{"--log-level", "warn", "--database-url", databaseURL, "--eventstore-url", node, "projections", "list"},
			[]string{"WARN"}, []string{"DEBUG", "INFO"}, "esdb client: "},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel()
			// given pelcro run as a process with that level
			// when it runs
			records := runPelcroProcess(t, tc.env, tc.args...)

			// then every line was JSON (checked by runPelcroProcess), at the levels expected
			levels := map[string]bool{}
			prefixed := false
			for _, r := range records {
				levels[r.Level] = true
				prefixed = prefixed || (len(tc.wantLevels) > 0 && r.Level == tc.wantLevels[0] && strings.HasPrefix(r.Msg, tc.wantPrefix))
			}
			for _, want := range tc.wantLevels {
				if !levels[want] {
					t.Errorf("no %s record in %+v", want, records)
				}
			}
			if len(tc.wantLevels) > 0 && !prefixed {
				t.Errorf("no %s record starting %q in %+v", tc.wantLevels[0], tc.wantPrefix, records)
			}
			for level := range levels {
				if slices.Contains(tc.noLevels, level) {
					t.Errorf("a %s record was logged: %+v", level, records)
				}
			}
		})
	}
}
