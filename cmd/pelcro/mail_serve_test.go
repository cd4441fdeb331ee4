package main

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/pelcro-oss/pelcro-api/internal/config"
	"github.com/pelcro-oss/pelcro-api/internal/mail"
	"github.com/pelcro-oss/pelcro-api/internal/pg"
)

func TestServeKeepsMailInTheMailboxWithoutSMTP(t *testing.T) {
	t.Parallel()
	// given an outbox with a pending message and no PELCRO_SMTP_URL
	databaseURL := givenOutbox(t)
	db, err := pg.Open(t.Context(), databaseURL)
	if err != nil {
		t.Fatalf("open: %v", err)
	}
	defer db.Close()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}

	// when the API serves
	ctx, stop := context.WithCancel(t.Context())
	served := make(chan error, 1)
	go func() { served <- serveOn(ctx, config.Config{DatabaseURL: databaseURL}, listener) }()

	// then the message moves to the development mailbox
	deadline := time.Now().Add(30 * time.Second)
	for {
		pending, err := mail.List(t.Context(), db, mail.ListOptions{Status: mail.StatusPending})
		if err == nil && len(pending) == 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("still pending after 30 s: %+v, %v", pending, err)
		}
		time.Sleep(50 * time.Millisecond)
	}
	stop()
	if err := <-served; err != nil {
		t.Fatalf("serve returned %v", err)
	}
}

func TestServeRefusesAMalformedSMTPURL(t *testing.T) {
	t.Parallel()
	listener, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	// when the API starts with an SMTP URL lacking the sender address
	cfg := config.Config{DatabaseURL: givenOutbox(t), SMTPURL: "smtp://mail.example.com"}
	err = serveOn(t.Context(), cfg, listener)
	// then it fails at once, naming the variable
	if err == nil || !strings.Contains(err.Error(), config.EnvSMTPURL) {
		t.Fatalf("serve error = %v, want one naming %s", err, config.EnvSMTPURL)
	}
}
