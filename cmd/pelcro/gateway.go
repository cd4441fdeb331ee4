package main

import (
	"database/sql"
	"log/slog"

	"github.com/pelcro-oss/pelcro-api/internal/config"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
	"github.com/pelcro-oss/pelcro-api/internal/payments/sandbox"
	"github.com/pelcro-oss/pelcro-api/internal/payments/stripe"
)

// paymentGateway is the processor serving payment_gateway "stripe": Stripe itself (or what
// PELCRO_STRIPE_API_BASE names, such as stripe-mock) when PELCRO_STRIPE_SECRET_KEY is set, otherwise the
// sandbox gateway, which keeps its records in the read-model database so every process on it shares them.
// A sandbox in production takes no money: the log says which one serves.
func paymentGateway(cfg config.Config, readModels *sql.DB, log *slog.Logger) payments.Gateway {
	if cfg.StripeSecretKey == "" {
		log.Info(config.EnvStripeSecretKey + " is unset: payments go to the sandbox gateway (Stripe's test tokens, no money moves)")
		return sandbox.New(readModels)
	}
	if cfg.StripeAPIBase != "" {
		log.Info("payments go to Stripe's API at " + cfg.StripeAPIBase)
	}
	return stripe.New(stripe.Config{SecretKey: cfg.StripeSecretKey, APIBase: cfg.StripeAPIBase})
}
