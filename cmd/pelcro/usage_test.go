package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"
)

// pelcroExit runs pelcro with args in a child process, as an operator's shell does, and returns what it
// printed and its exit status.
func pelcroExit(t *testing.T, args ...string) (stdout, stderr string, status int) {
	t.Helper()
	encoded, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	child := exec.CommandContext(t.Context(), os.Args[0])
	child.Env = append(os.Environ(), childArgs+"="+string(encoded))
	var out, errOut bytes.Buffer
	child.Stdout, child.Stderr = &out, &errOut
	err = child.Run()
	var exit *exec.ExitError
	if err != nil && !errors.As(err, &exit) {
		t.Fatal(err)
	}
	return out.String(), errOut.String(), child.ProcessState.ExitCode()
}

// assertOneLineRefusal fails unless the command exited 1 with one line on standard error holding every want.
func assertOneLineRefusal(t *testing.T, stderr string, status int, want ...string) {
	t.Helper()
	line := strings.TrimSuffix(stderr, "\n")
	if status != 1 || strings.Contains(line, "\n") || !strings.HasPrefix(line, "pelcro: ") ||
		strings.Contains(stderr, "panic") || strings.Contains(stderr, "goroutine") {
		t.Fatalf("exit %d, want 1 and one line on stderr:\n%s", status, stderr)
	}
	for _, w := range want {
		if !strings.Contains(line, w) {
			t.Errorf("stderr %q lacks %q", line, w)
		}
	}
}

func TestEveryNumericFlagRefusesWhatItCannotTakeInOneLine(t *testing.T) {
	t.Parallel()
	w := newOperatorWorld(t)
	id, stream := strconv.FormatInt(w.ann, 10), "customer-"+strconv.FormatInt(w.ann, 10)
	const limit = "The limit must be a whole number from 1 to 500."
	until := "--until=2026-01-01T00:00:00Z"
	tests := []struct {
		name string
		args []string
		want []string
	}{
		{"audit limit 0", []string{"audit", "customer", id, "--limit", "0"}, []string{`--limit "0"`, limit}},
		{"audit limit -1", []string{"audit", "customer", id, "--limit", "-1"}, []string{`--limit "-1"`, limit}},
		{"audit limit 501", []string{"audit", "customer", id, "--limit", "501"}, []string{`--limit "501"`, limit}},
		{"audit site -1", []string{"audit", "customer", w.annEmail, "--site", "-1"}, []string{`--site "-1"`, "want a site id"}},
		{"audit site abc", []string{"audit", "customer", w.annEmail, "--site", "abc"}, []string{`--site "abc"`, "want a site id"}},
		{"events tail limit -5", []string{"events", "tail", "--limit", "-5"}, []string{`--limit "-5"`, limit}},
		{"events tail limit 0", []string{"events", "tail", "--limit", "0"}, []string{`--limit "0"`, limit}},
		{"events stream limit 0", []string{"events", "stream", stream, "--limit", "0"}, []string{`--limit "0"`, limit}},
		{"events stream from -1", []string{"events", "stream", stream, "--from", "-1"}, []string{`--from "-1"`, "want a revision"}},
		{"events stream from abc", []string{"events", "stream", stream, "--from", "abc"}, []string{`--from "abc"`, "want a revision"}},
		{"mail list limit 0", []string{"mail", "list", "--limit", "0"}, []string{`--limit "0"`, limit}},
		{"mail list limit -1", []string{"mail", "list", "--limit", "-1"}, []string{`--limit "-1"`, limit}},
		{"billing run workers 0", []string{"billing", "run", until, "--workers", "0"}, []string{`--workers "0"`, "from 1 to 1024"}},
		{"billing run workers -1", []string{"billing", "run", until, "--workers", "-1"}, []string{`--workers "-1"`, "from 1 to 1024"}},
		{"projections status max-lag abc", []string{"projections", "status", "--max-lag", "abc"}, []string{`--max-lag "abc"`, "0 or more"}},
		{"projections status max-lag -1", []string{"projections", "status", "--max-lag", "-1"}, []string{`--max-lag "-1"`, "0 or more"}},
		{"apikeys create account abc", []string{"apikeys", "create", "--account", "abc"}, []string{`--account "abc"`, "want an account id"}},
		{"apikeys create account -1", []string{"apikeys", "create", "--account", "-1"}, []string{`--account "-1"`, "want an account id"}},
		{"invoices create customer abc", []string{"invoices", "create", "--customer", "abc", "--amount", "1", "--currency", "usd"},
			[]string{`--customer "abc"`, "want a customer id"}},
		{"invoices create customer 0", []string{"invoices", "create", "--customer", "0", "--amount", "1", "--currency", "usd"},
			[]string{`--customer "0"`, "want a customer id"}},
		{"newsletter erase site -1", []string{"newsletter", "erase", "--site", "-1", w.annEmail}, []string{`--site "-1"`, "want a site id"}},
		{"billing interval abc", []string{"--billing-interval", "abc", "projections", "list"}, []string{`--billing-interval "abc"`, "not a valid duration"}},
		{"replay into garbage", []string{"replay", "--into", "garbage"}, []string{"--into", "want a PostgreSQL URL"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			// When an operator gives the flag a value it cannot take
			_, stderr, status := pelcroExit(t, append([]string{"--database-url", w.cfg.DatabaseURL, "--eventstore-url", ""}, tt.args...)...)

			// Then it says so in one line naming the flag and what it takes, and exits 1
			assertOneLineRefusal(t, stderr, status, tt.want...)
			for _, internal := range []string{"strconv", "eventstore/", "operator:", "connect to"} {
				if strings.Contains(stderr, internal) {
					t.Errorf("stderr shows internals (%q): %s", internal, stderr)
				}
			}
		})
	}
}

func TestEveryGroupCommandRefusesAnUnknownSubcommand(t *testing.T) {
	t.Parallel()
	root := newRootCommand()
	for _, group := range root.Commands() {
		if !group.HasSubCommands() || group.Name() == "help" {
			continue
		}
		t.Run(group.Name(), func(t *testing.T) {
			t.Parallel()
			// When a subcommand is mistyped
			stdout, stderr, status := pelcroExit(t, group.Name(), "frob")

			// Then it fails as the root does for a mistyped command, and prints no help as if it succeeded
			assertOneLineRefusal(t, stderr, status, `unknown command "frob" for "pelcro `+group.Name()+`"`)
			if stdout != "" {
				t.Errorf("stdout:\n%s", stdout)
			}
		})
	}
	t.Run("alone", func(t *testing.T) {
		t.Parallel()
		// When a group is called alone, then it still prints its help and succeeds
		stdout, _, status := pelcroExit(t, "projections")
		if status != 0 || !strings.Contains(stdout, "Available Commands:") {
			t.Errorf("exit %d:\n%s", status, stdout)
		}
	})
}
