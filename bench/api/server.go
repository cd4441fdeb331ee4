package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"syscall"
	"time"
)

// apiServer is a server the benchmark runs as a child process: `pelcro serve` built from this source tree
// (the write path exactly as users run it: its own process, its logging, its pools, not a copy of its
// wiring), or the floor (see floor.go).
type apiServer struct {
	base    string // http://127.0.0.1:<port>
	secret  string // PELCRO_AUTH_SECRET, hex: the floor checks the API's tokens with it
	cmd     *exec.Cmd
	done    chan error
	stopped sync.Once
}

// startServer starts binary (or, when empty, builds one into dir) on a free loopback port against
// databaseURL, with its log in dir/serve.log. It returns once /readyz answers 200.
func startServer(ctx context.Context, dir, binary, databaseURL string) (*apiServer, error) {
	if binary == "" {
		binary = filepath.Join(dir, "pelcro")
		build := exec.CommandContext(ctx, "go", "build", "-o", binary, "./cmd/pelcro")
		if out, err := build.CombinedOutput(); err != nil {
			return nil, fmt.Errorf("build pelcro: %v\n%s", err, out)
		}
	}
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	return startProcess(ctx, filepath.Join(dir, "serve.log"), hex.EncodeToString(secret), func(addr, secret string) *exec.Cmd {
		cmd := exec.Command(binary, "serve")
		cmd.Env = append(os.Environ(), "PELCRO_DATABASE_URL="+databaseURL, "PELCRO_EVENTSTORE_URL=",
			"PELCRO_HTTP_ADDR="+addr, "PELCRO_AUTH_SECRET="+secret, "PELCRO_DATA_DIR="+dir)
		return cmd
	})
}

// startProcess starts the command command builds for a free loopback address and the auth secret, with
// its output in logPath, and returns once its /readyz answers 200.
func startProcess(ctx context.Context, logPath, secret string, command func(addr, secret string) *exec.Cmd) (*apiServer, error) {
	addr, err := freeAddress()
	if err != nil {
		return nil, err
	}
	log, err := os.Create(logPath)
	if err != nil {
		return nil, err
	}
	cmd := command(addr, secret)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, fmt.Errorf("start %s: %w", cmd.Path, err)
	}
	s := &apiServer{base: "http://" + addr, secret: secret, cmd: cmd, done: make(chan error, 1)}
	go func() { s.done <- cmd.Wait(); log.Close() }()
	if err := s.awaitReady(ctx); err != nil {
		s.stop()
		return nil, fmt.Errorf("%w (log: %s)", err, logPath)
	}
	return s, nil
}

// awaitReady polls /readyz for up to a minute (migrations and projections start first).
func (s *apiServer) awaitReady(ctx context.Context) error {
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-s.done:
			return fmt.Errorf("%s exited: %v", s.cmd.Path, err)
		default:
		}
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, s.base+"/readyz", nil)
		if resp, err := http.DefaultClient.Do(req); err == nil {
			resp.Body.Close()
			if resp.StatusCode == http.StatusOK {
				return nil
			}
		}
		time.Sleep(100 * time.Millisecond)
	}
	return fmt.Errorf("%s not ready after a minute", s.cmd.Path)
}

// stop sends SIGTERM, as an orchestrator would, and waits for the process to end; later calls do nothing.
func (s *apiServer) stop() {
	s.stopped.Do(func() {
		_ = s.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-s.done:
		case <-time.After(30 * time.Second):
			_ = s.cmd.Process.Kill()
			<-s.done
		}
	})
}

// freeAddress returns a loopback address nothing listens on right now.
func freeAddress() (string, error) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return "", err
	}
	defer l.Close()
	return l.Addr().String(), nil
}
