package main

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
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

// apiServer is `pelcro serve` running as a child process, built from this source tree: the write path
// exactly as users run it (its own process, its logging, its pools), not a copy of its wiring.
type apiServer struct {
	base    string // http://127.0.0.1:<port>
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
	addr, err := freeAddress()
	if err != nil {
		return nil, err
	}
	log, err := os.Create(filepath.Join(dir, "serve.log"))
	if err != nil {
		return nil, err
	}
	secret := make([]byte, 32)
	_, _ = rand.Read(secret)
	cmd := exec.Command(binary, "serve")
	cmd.Env = append(os.Environ(), "PELCRO_DATABASE_URL="+databaseURL, "PELCRO_EVENTSTORE_URL=",
		"PELCRO_HTTP_ADDR="+addr, "PELCRO_AUTH_SECRET="+hex.EncodeToString(secret), "PELCRO_DATA_DIR="+dir)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		log.Close()
		return nil, fmt.Errorf("start pelcro serve: %w", err)
	}
	s := &apiServer{base: "http://" + addr, cmd: cmd, done: make(chan error, 1)}
	go func() { s.done <- cmd.Wait(); log.Close() }()
	if err := s.awaitReady(ctx); err != nil {
		s.stop()
		return nil, fmt.Errorf("%w (log: %s)", err, log.Name())
	}
	return s, nil
}

// awaitReady polls /readyz for up to a minute (migrations and projections start first).
func (s *apiServer) awaitReady(ctx context.Context) error {
	deadline := time.Now().Add(time.Minute)
	for time.Now().Before(deadline) {
		select {
		case err := <-s.done:
			return fmt.Errorf("pelcro serve exited: %v", err)
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
	return errors.New("pelcro serve not ready after a minute")
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
