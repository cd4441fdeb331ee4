package transport

import (
	"context"
	"errors"
	"log/slog"
	"net/http"

	"github.com/pelcro-oss/pelcro-api/aggregates/newsletter"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
	"github.com/pelcro-oss/pelcro-api/internal/idempotency"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// NewsletterCommands runs the newsletter writes (commands.Newsletters). Domain refusals come back as the
// newsletter package's errors.
type NewsletterCommands interface {
	Subscribe(ctx context.Context, env commands.Envelope, c newsletter.Subscribe) (commands.Result, error)
	Update(ctx context.Context, env commands.Envelope, c newsletter.Update) (commands.Result, error)
	Unsubscribe(ctx context.Context, env commands.Envelope, c newsletter.Unsubscribe) (commands.Result, error)
}

// NewsletterQueries reads newsletter entries (queries.Newsletters); the email is already normalised.
type NewsletterQueries interface {
	Newsletter(ctx context.Context, siteID int64, email string) (queries.Newsletter, bool, error)
}

// newsletterHandlers serve spec 2.9. Writes issue the command, wait until the newsletter projection reached
// the written event (read-your-writes), then answer from the read model.
type newsletterHandlers struct {
	commands NewsletterCommands
	queries  NewsletterQueries
	wait     commands.ReadModelWait
	log      *slog.Logger
}

func newNewsletterHandlers(deps Dependencies) newsletterHandlers {
	return newsletterHandlers{commands: deps.NewsletterCommands, queries: deps.NewsletterQueries,
		wait: deps.WaitForNewsletters, log: deps.Logger}
}

// subscribe is POST /newsletter: 200 with the new entry; 400 when a field is not text.
func (h newsletterHandlers) subscribe(w http.ResponseWriter, r *http.Request) {
	params := requestParams(r)
	patch, failures := newsletterPatch(params)
	email, _ := textInput(params, "newsletter", "email", failures)
	if len(failures) > 0 {
		writeValidation(w, r, failures)
		return
	}
	site, _ := requestSite(r)
	c := newsletter.Subscribe{SiteID: site.ID, Email: email, Details: patch.ApplyTo(newsletter.Details{})}
	h.write(w, r, "newsletter.subscribe", email, func(ctx context.Context, env commands.Envelope) (commands.Result, error) {
		return h.commands.Subscribe(ctx, env, c)
	})
}

// update is PUT /newsletter/{email}: the given fields change; 200 with the entry, 400 when a field is not
// text.
func (h newsletterHandlers) update(w http.ResponseWriter, r *http.Request) {
	changes, failures := newsletterPatch(requestParams(r))
	if len(failures) > 0 {
		writeValidation(w, r, failures)
		return
	}
	email := pathText(r, "email")
	site, _ := requestSite(r)
	c := newsletter.Update{SiteID: site.ID, Email: email, Changes: changes}
	h.write(w, r, "newsletter.update", email, func(ctx context.Context, env commands.Envelope) (commands.Result, error) {
		return h.commands.Update(ctx, env, c)
	})
}

// unsubscribe is DELETE /newsletter/{email}: 204 once the entry is gone from the read model.
func (h newsletterHandlers) unsubscribe(w http.ResponseWriter, r *http.Request) {
	email := pathText(r, "email")
	site, _ := requestSite(r)
	c := newsletter.Unsubscribe{SiteID: site.ID, Email: email}
	if h.run(w, r, "newsletter.unsubscribe", func(ctx context.Context, env commands.Envelope) (commands.Result, error) {
		return h.commands.Unsubscribe(ctx, env, c)
	}) {
		w.WriteHeader(http.StatusNoContent)
	}
}

// get is GET /newsletter/{email}: 200 with the entry, 404 when the site has none for the email.
func (h newsletterHandlers) get(w http.ResponseWriter, r *http.Request) {
	h.answer(w, r, pathText(r, "email"))
}

// write runs a command and answers with the entry it left.
func (h newsletterHandlers) write(w http.ResponseWriter, r *http.Request, operation, email string,
	command func(context.Context, commands.Envelope) (commands.Result, error)) {
	if h.run(w, r, operation, command) {
		h.answer(w, r, email)
	}
}

// run issues the command and waits for the read model to reflect it (awaitWrite); on failure it has
// answered and returns false.
func (h newsletterHandlers) run(w http.ResponseWriter, r *http.Request, operation string,
	command func(context.Context, commands.Envelope) (commands.Result, error)) bool {
	result, err := command(r.Context(), commandEnvelope(r, operation))
	if err != nil {
		h.refuse(w, r, err)
		return false
	}
	return awaitWrite(w, r, h.log, h.wait, result.Written())
}

// answer sends the site's entry for the email from the read model, or 404. An email the rules refuse has no
// entry, and is never sent to the database (a NUL would make PostgreSQL fail the query).
func (h newsletterHandlers) answer(w http.ResponseWriter, r *http.Request, email string) {
	site, _ := requestSite(r)
	email = newsletter.NormaliseEmail(email)
	if len(newsletter.EmailProblems(email)) > 0 {
		writeError(w, r, http.StatusNotFound, i18n.NewsletterNotFound)
		return
	}
	entry, found, err := h.queries.Newsletter(r.Context(), site.ID, email)
	switch {
	case err != nil:
		h.internal(w, r, "newsletter query failed", err)
	case !found:
		writeError(w, r, http.StatusNotFound, i18n.NewsletterNotFound)
	default:
		stateOf(r).subject = idempotency.NewsletterSubject(site.ID, email)
		writeData(w, http.StatusOK, entry)
	}
}

// refuse answers a command's refusal: rule breaks as 400 validation errors on `email` or the offending
// fields (Laravel's `unique` and `exists` rules answer the same way), anything else as a 500.
func (h newsletterHandlers) refuse(w http.ResponseWriter, r *http.Request, err error) {
	var problems newsletter.Problems
	switch {
	case errors.As(err, &problems):
		writeValidation(w, r, problemFieldErrors("newsletter", problems))
	case errors.Is(err, newsletter.ErrAlreadySubscribed):
		writeValidation(w, r, fieldErrors{"email": {i18n.NewsletterEmailTaken}})
	case errors.Is(err, newsletter.ErrNotSubscribed):
		writeValidation(w, r, fieldErrors{"email": {i18n.NewsletterEmailNotSubscribed}})
	default:
		h.internal(w, r, "newsletter command failed", err)
	}
}

func (h newsletterHandlers) internal(w http.ResponseWriter, r *http.Request, what string, err error) {
	h.log.ErrorContext(r.Context(), what, requestIDs(r), "error", err)
	writeError(w, r, http.StatusInternalServerError, i18n.InternalError)
}
