package main

import (
	"context"
	"errors"
	"fmt"
	"strconv"

	"github.com/google/uuid"
	"github.com/jmoiron/sqlx"
	"github.com/spf13/cobra"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/config"
	"github.com/pelcro-oss/pelcro-api/internal/idempotency"
	"github.com/pelcro-oss/pelcro-api/internal/mail"
	"github.com/pelcro-oss/pelcro-api/internal/media"
	customerprojection "github.com/pelcro-oss/pelcro-api/projections/customer"
	"github.com/pelcro-oss/pelcro-api/projections/customerstreams"
	membershipprojection "github.com/pelcro-oss/pelcro-api/projections/membership"
	newsletterprojection "github.com/pelcro-oss/pelcro-api/projections/newsletter"
	subscriptionprojection "github.com/pelcro-oss/pelcro-api/projections/subscription"
	walletprojection "github.com/pelcro-oss/pelcro-api/projections/wallet"
)

// eraseActor is who erasures run by the CLI are recorded as (aggregates.Metadata.Actor).
const eraseActor = "operator:cli"

const eraseGuarantees = `The event store deletes the data key first, then records the erasure: the person's
personal fields can never be read again from the log or any copy of it, a rebuild or replay of every read
model finds nothing of them, and the email is free to be used again. Read models are cleared at once (the
running server's projections apply the erasure too). Safe to run again after an interruption, and while
"pelcro serve" runs. See docs/security.md.`

func newCustomersCommand(cfg *config.Config) *cobra.Command {
	root := &cobra.Command{Use: "customers", Short: "Operate on customers"}
	root.AddCommand(newCustomersShowCommand(cfg))
	root.AddCommand(&cobra.Command{
		Use:   "erase ID",
		Short: "Erase a customer's personal data (the right to erasure)",
		Long: `Erase the customer with this id: their personal data (email, username, names, phone, addresses,
metadata, identity provider ids, password hash) in every event, the recipients of the gifts they gave, the
addresses they were invited at to memberships' seats, their rows in the read models (saved cards included), their mail in the outbox and the mail others sent to their
addresses on their site (membership invitations), the answers kept for Idempotency-Key retries and their profile photo under
` + config.EnvDataDir + `;
their email and username can register again.

` + eraseGuarantees,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			id, err := strconv.ParseInt(args[0], 10, 64)
			if err != nil || id < 1 {
				return fmt.Errorf("customer id %q: want a positive integer", args[0])
			}
			if err := eraseCustomer(cmd.Context(), *cfg, id); err != nil {
				return err
			}
			_, err = fmt.Fprintf(cmd.OutOrStdout(), "customer %d erased\n", id)
			return err
		},
	})
	return root
}

// eraseCustomer records the erasure (the store shreds the key first) and frees the claims, then clears the
// read models, the outbox and the photo, which it does even when freeing a claim failed, so a failure leaves
// as little as possible behind; running it again finishes the job.
func eraseCustomer(ctx context.Context, cfg config.Config, id int64) error {
	deps, err := openDependencies(ctx, cfg)
	if err != nil {
		return err
	}
	defer deps.Close()
	customers := commands.Customers{Store: deps.EventStore,
		Reservations: commands.Reservations{Store: deps.EventStore, Names: deps.Names}}
	erasure, err := customers.Erase(ctx, commands.Envelope{CommandID: uuid.NewString(), Actor: eraseActor}, id)
	if errors.Is(err, customer.ErrNotRegistered) {
		return fmt.Errorf("customer %d does not exist", id)
	}
	if erasure.CustomerID == 0 {
		return err
	}
	gifts := eraseGifts(ctx, deps, id)
	cleared := inTx(ctx, deps.ReadModels, func(tx *sqlx.Tx) error {
		site, addresses, err := customerstreams.Addresses(ctx, tx, id) // before customerstreams.Forget deletes them
		if err != nil {
			return err
		}
		return errors.Join(eraseInvitations(ctx, deps, tx, site, id, addresses),
			customerprojection.Forget(ctx, tx, id), mail.Forget(ctx, tx, id),
			mail.ForgetAddressedTo(ctx, tx, site, id, addresses),
			walletprojection.Forget(ctx, tx, id), customerstreams.Forget(ctx, tx, id),
			subscriptionprojection.Forget(ctx, tx, id), membershipprojection.Forget(ctx, tx, id))
	})
	var photo error
	if erasure.Picture != "" {
		photo = media.Photos{Dir: cfg.DataDir}.Remove(erasure.Picture)
	}
	return errors.Join(err, gifts, cleared, photo, forgetAnswers(ctx, deps, idempotency.CustomerSubject(id)))
}

// eraseGifts erases the recipients of the gifts the customer gave and the member addresses of the
// memberships they own (each subscription is a data subject of its own), as the subscriptions read model
// lists them.
func eraseGifts(ctx context.Context, deps *dependencies, customerID int64) error {
	gifts, err := subscriptionprojection.Gifts(ctx, deps.ReadModels, customerID)
	if err != nil {
		return err
	}
	subscriptions := commands.Subscriptions{Store: deps.EventStore}
	var errs []error
	for _, id := range gifts {
		env := commands.Envelope{CommandID: fmt.Sprint("erase-gift-", id), Actor: eraseActor}
		if _, err := subscriptions.EraseGift(ctx, env, id); err != nil {
			errs = append(errs, fmt.Errorf("erase gift subscription %d: %w", id, err))
		}
	}
	return errors.Join(errs...)
}

// forgetAnswers deletes the answers kept for Idempotency-Key retries that hold the erased subject's personal
// data (a profile, a newsletter entry), which would otherwise be replayed for the rest of their 24 hours.
func forgetAnswers(ctx context.Context, deps *dependencies, subject string) error {
	answers, err := idempotency.NewStore(deps.ReadModels, deps.Keys.Idempotency)
	if err == nil {
		_, err = answers.Forget(ctx, subject)
	}
	return err
}

func newNewsletterCommand(cfg *config.Config) *cobra.Command {
	root := &cobra.Command{Use: "newsletter", Short: "Operate on newsletter entries"}
	var siteID int64
	erase := &cobra.Command{
		Use:   "erase --site ID EMAIL",
		Short: "Erase a newsletter entry's personal data (the right to erasure)",
		Long: `Erase the site's newsletter entry of this email: the email and the details (names, postal code,
consent, IP address) in every event, in the read model and in the answers kept for Idempotency-Key retries.
The same email may subscribe again afterwards.

` + eraseGuarantees,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if siteID < 1 {
				return errors.New("--site: want the site id, a positive integer")
			}
			email := newsletter.NormaliseEmail(args[0])
			if problems := newsletter.EmailProblems(email); len(problems) > 0 {
				return errors.New("EMAIL: not an email address")
			}
			if err := eraseNewsletterEntry(cmd.Context(), *cfg, siteID, email); err != nil {
				return err
			}
			_, err := fmt.Fprintf(cmd.OutOrStdout(), "newsletter entry of site %d erased\n", siteID)
			return err
		},
	}
	rangeVar(erase.Flags(), &siteID, "site", 0, positiveID("a site"), "the site whose newsletter holds the email (required)")
	root.AddCommand(erase)
	return root
}

// eraseNewsletterEntry records the erasure (the store shreds the key first) and clears the read model.
func eraseNewsletterEntry(ctx context.Context, cfg config.Config, siteID int64, email string) error {
	deps, err := openDependencies(ctx, cfg)
	if err != nil {
		return err
	}
	defer deps.Close()
	entries := commands.Newsletters{Store: deps.EventStore, Names: deps.Names}
	_, err = entries.Erase(ctx, commands.Envelope{CommandID: uuid.NewString(), Actor: eraseActor}, siteID, email)
	if errors.Is(err, newsletter.ErrNotSubscribed) {
		return fmt.Errorf("site %d has no newsletter entry for this email", siteID)
	}
	if err != nil {
		return err
	}
	return errors.Join(newsletterprojection.Forget(ctx, deps.ReadModels, siteID, email),
		customerstreams.ForgetNewsletter(ctx, deps.ReadModels, siteID, email),
		forgetAnswers(ctx, deps, idempotency.NewsletterSubject(siteID, email)))
}

// inTx runs fn in a transaction and commits it.
func inTx(ctx context.Context, db *sqlx.DB, fn func(tx *sqlx.Tx) error) error {
	tx, err := db.BeginTxx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() { _ = tx.Rollback() }()
	if err := fn(tx); err != nil {
		return err
	}
	return tx.Commit()
}
