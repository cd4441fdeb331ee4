// Package stripemock runs stripe-mock (Stripe's stateless API simulator) for tests of the Stripe adapter.
// The test builds it itself with the Go toolchain through the module proxy, so a fresh CI machine needs
// nothing installed: the binary is cached under the user cache directory, one process per Start listens on a
// port the system picks and is killed when the test ends.
//
// stripe-mock answers fixtures whatever the request (it echoes back the parameters it recognises, such as
// amount and currency, and validates every parameter against Stripe's OpenAPI document). Its bundled intents
// wait for a payment method, which is never what a confirmed intent answers; Start replaces their status with
// the outcome a test needs through stripe-mock's -fixtures option.
package stripemock

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"
)

// Module is the stripe-mock release the tests run; its OpenAPI document must know every parameter the
// adapter sends.
const Module = "github.com/stripe/stripe-mock@v0.203.0"

// Outcome is what every SetupIntent and PaymentIntent stripe-mock returns says.
type Outcome string

const (
	// Succeeded: the card was saved or charged.
	Succeeded Outcome = "succeeded"
	// RequiresAction: the card needs 3-D Secure.
	RequiresAction Outcome = "requires_action"
)

// startTimeout bounds building and starting stripe-mock: the first build downloads it through the proxy,
// and loading Stripe's OpenAPI document takes seconds on a busy machine.
const startTimeout = 5 * time.Minute

// Start runs stripe-mock answering outcome and returns its base URL.
func Start(t testing.TB, outcome Outcome) string {
	t.Helper()
	binary, fixtures, err := prepare()
	if err != nil {
		t.Fatalf("stripemock: %v", err)
	}
	path := filepath.Join(t.TempDir(), "fixtures.json")
	if err := os.WriteFile(path, withOutcome(fixtures, outcome), 0o600); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(binary, "-http-port", "0", "-fixtures", path)
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = cmd.Stdout
	if err := cmd.Start(); err != nil {
		t.Fatalf("stripemock: start: %v", err)
	}
	t.Cleanup(func() {
		_ = cmd.Process.Kill()
		_ = cmd.Wait()
	})
	port := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(out)
		for lines.Scan() {
			if addr, ok := strings.CutPrefix(lines.Text(), "Listening for HTTP at address: "); ok {
				_, p, _ := net.SplitHostPort(addr)
				port <- p
			}
		}
	}()
	select {
	case p := <-port:
		return "http://127.0.0.1:" + p
	case <-time.After(startTimeout):
		t.Fatalf("stripemock: no listening address after %s", startTimeout)
		return ""
	}
}

var prepared struct {
	once     sync.Once
	binary   string
	fixtures map[string]any
	err      error
}

// prepare builds stripe-mock once per test process (once per machine, thanks to the cache) and reads its
// bundled fixtures from the module's source.
func prepare() (string, map[string]any, error) {
	prepared.once.Do(func() {
		prepared.binary, prepared.err = build()
		if prepared.err == nil {
			prepared.fixtures, prepared.err = bundledFixtures()
		}
	})
	return prepared.binary, prepared.fixtures, prepared.err
}

func build() (string, error) {
	cache, err := os.UserCacheDir()
	if err != nil {
		return "", err
	}
	dir := filepath.Join(cache, "pelcro-api", strings.ReplaceAll(filepath.Base(Module), "@", "-"))
	binary := filepath.Join(dir, "stripe-mock")
	if _, err := os.Stat(binary); err == nil {
		return binary, nil
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return "", err
	}
	// Install into a directory of our own, then rename: test processes of other packages may race here.
	tmp, err := os.MkdirTemp(dir, "build-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(tmp)
	if _, err := goCommand(tmp, "install", Module); err != nil {
		return "", err
	}
	return binary, os.Rename(filepath.Join(tmp, "stripe-mock"), binary)
}

func bundledFixtures() (map[string]any, error) {
	out, err := goCommand(os.TempDir(), "mod", "download", "-json", Module)
	if err != nil {
		return nil, err
	}
	var module struct{ Dir string }
	if err := json.Unmarshal(out, &module); err != nil {
		return nil, err
	}
	raw, err := os.ReadFile(filepath.Join(module.Dir, "embedded", "openapi", "fixtures3.json"))
	if err != nil {
		return nil, err
	}
	var fixtures map[string]any
	return fixtures, json.Unmarshal(raw, &fixtures)
}

// goCommand runs the go tool outside any module (in dir), installing binaries into dir.
func goCommand(dir string, args ...string) ([]byte, error) {
	cmd := exec.Command("go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GOBIN="+dir, "GOFLAGS=", "GO111MODULE=on")
	out, err := cmd.Output()
	if err != nil {
		var stderr string
		if exit, ok := err.(*exec.ExitError); ok {
			stderr = string(exit.Stderr)
		}
		return nil, fmt.Errorf("go %s: %w\n%s", strings.Join(args, " "), err, stderr)
	}
	return out, nil
}

// withOutcome is the fixtures with every intent in outcome and no error left from an earlier attempt.
func withOutcome(fixtures map[string]any, outcome Outcome) []byte {
	resources := fixtures["resources"].(map[string]any)
	changed := make(map[string]any, len(resources))
	for name, resource := range resources {
		changed[name] = resource
	}
	for name, lastError := range map[string]string{"payment_intent": "last_payment_error", "setup_intent": "last_setup_error"} {
		intent := make(map[string]any)
		for field, value := range resources[name].(map[string]any) {
			intent[field] = value
		}
		intent["status"] = string(outcome)
		intent[lastError] = nil
		if outcome != RequiresAction {
			intent["next_action"] = nil
		}
		changed[name] = intent
	}
	encoded, _ := json.Marshal(map[string]any{"resources": changed})
	return encoded
}
