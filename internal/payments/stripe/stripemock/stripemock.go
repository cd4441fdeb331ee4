// Package stripemock runs stripe-mock (Stripe's stateless API simulator) for tests of the Stripe adapter.
// The test builds it itself with the Go toolchain through the module proxy, so a fresh CI machine needs
// nothing installed: the binary is cached under the user cache directory, and each Server listens on a port
// the system picks until it is closed.
//
// stripe-mock answers fixtures whatever the request (it echoes back the parameters it recognises, such as
// amount and currency, and validates every parameter against Stripe's OpenAPI document). Its bundled intents
// wait for a payment method, which is never what a confirmed intent answers; Run replaces their status with
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

// Server is one stripe-mock process.
type Server struct {
	// URL is the base URL to point the adapter at (Config.APIBase).
	URL string
	cmd *exec.Cmd
	dir string
}

// Run starts stripe-mock answering outcome. Tests of a package share servers (from TestMain): each start
// loads Stripe's whole OpenAPI document, seconds of CPU.
func Run(outcome Outcome) (*Server, error) {
	binary, fixtures, err := prepare()
	if err != nil {
		return nil, fmt.Errorf("stripemock: %w", err)
	}
	dir, err := os.MkdirTemp("", "stripemock-")
	if err != nil {
		return nil, err
	}
	s := &Server{dir: dir}
	path := filepath.Join(dir, "fixtures.json")
	if err := os.WriteFile(path, withOutcome(fixtures, outcome), 0o600); err != nil {
		s.Close()
		return nil, err
	}
	s.cmd = exec.Command(binary, "-http-port", "0", "-fixtures", path)
	out, err := s.cmd.StdoutPipe()
	if err != nil {
		s.Close()
		return nil, err
	}
	s.cmd.Stderr = s.cmd.Stdout
	if err := s.cmd.Start(); err != nil {
		s.Close()
		return nil, fmt.Errorf("stripemock: start: %w", err)
	}
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
		s.URL = "http://127.0.0.1:" + p
		return s, nil
	case <-time.After(startTimeout):
		s.Close()
		return nil, fmt.Errorf("stripemock: no listening address after %s", startTimeout)
	}
}

// Close stops the process and removes its fixtures.
func (s *Server) Close() {
	if s.cmd != nil && s.cmd.Process != nil {
		_ = s.cmd.Process.Kill()
		_ = s.cmd.Wait()
	}
	_ = os.RemoveAll(s.dir)
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
