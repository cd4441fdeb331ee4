package main

import (
	"context"
	"fmt"
	"log/slog"

	"github.com/jmoiron/sqlx"

	"github.com/pelcro-oss/pelcro-api/internal/config"
	"github.com/pelcro-oss/pelcro-api/internal/mail"
)

// startMailDelivery runs the outbox's Deliverer in the background until the returned stop is called: it
// sends through the SMTP server of PELCRO_SMTP_URL, or keeps messages in the development mailbox when that
// is unset. A malformed URL is an error, so `pelcro serve` fails at start instead of never sending.
func startMailDelivery(cfg config.Config, db *sqlx.DB, log *slog.Logger) (stop func(), err error) {
	deliverer := &mail.Deliverer{DB: db, Logger: log}
	if cfg.SMTPURL != "" {
		sender, err := mail.NewSMTPSender(cfg.SMTPURL)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", config.EnvSMTPURL, err)
		}
		deliverer.Sender = sender
	} else {
		log.Info(config.EnvSMTPURL + " is unset: mail is kept in the development mailbox (pelcro mail list)")
	}
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = deliverer.Run(ctx) // returns when ctx ends; failed passes are logged and retried
	}()
	return func() { cancel(); <-done }, nil
}
