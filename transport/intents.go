package transport

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/pelcro-oss/pelcro-api/aggregates/intent"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// IntentConfirmer is the one entry point of 3-D Secure confirmations (commands.Intents).
type IntentConfirmer interface {
	Registration(ctx context.Context, id string) (intent.Registered, error)
	Confirm(ctx context.Context, env commands.Envelope, id string) (commands.ConfirmedIntent, error)
}

// ThreeDSecureReturnPath is where Pelcro's front end sends the customer back after 3-D Secure, with their
// token in auth_token and, as Stripe's redirect adds them, the intent in setup_intent or payment_intent.
const ThreeDSecureReturnPath = "/webhook/stripe/callback/3dsecure"

// intentHandlers serve the 3-D Secure return page and the gateway's webhook.
type intentHandlers struct {
	deps Dependencies
}

// confirmEnvelope is the command envelope of a confirmation: its id derives from the intent, so the return
// page, the webhook and the CLI confirming one intent issue one command, whatever the order.
func confirmEnvelope(r *http.Request, intentID, actor string) commands.Envelope {
	return commands.Envelope{CommandID: "intent-confirm:" + intentID, CorrelationID: stateOf(r).id, Actor: actor}
}

// threeDSecureReturn confirms the intent of the token's customer (another customer's intent, or an unknown
// one, is a 404), waits until the read models show it, and sends the customer back to the site's link. An
// intent the customer did not pass is not confirmed; the customer goes back all the same and the site shows
// the card or invoice as still waiting.
func (h intentHandlers) threeDSecureReturn(w http.ResponseWriter, r *http.Request) {
	query := r.URL.Query()
	token := query.Get("auth_token")
	if token == "" {
		writeError(w, r, http.StatusUnauthorized, i18n.TokenNotProvided)
		return
	}
	principal, err := h.deps.CustomerTokens.Authenticate(r.Context(), token)
	if err != nil {
		refuseToken(w, r, h.deps.Logger, err)
		return
	}
	id := query.Get("setup_intent")
	if id == "" {
		id = query.Get("payment_intent")
	}
	if id == "" { // named payment_intent, as an invoice's is; a card's setup_intent is the other name
		writeValidation(w, r, fieldErrors{"payment_intent": {i18n.Required("payment_intent")}})
		return
	}
	registered, err := h.deps.Intents.Registration(r.Context(), id)
	if errors.Is(err, payments.ErrUnknownIntent) || (err == nil && (registered.CustomerID != principal.CustomerID ||
		registered.AccountID != principal.AccountID)) {
		writeError(w, r, http.StatusNotFound, i18n.IntentNotFound)
		return
	}
	if err != nil {
		internalError(w, r, h.deps.Logger, "finding an intent's owner", err)
		return
	}
	actor := "customer:" + strconv.FormatInt(principal.CustomerID, 10)
	confirmed, err := h.deps.Intents.Confirm(r.Context(), confirmEnvelope(r, id, actor), id)
	switch {
	case errors.Is(err, commands.ErrIntentNotSucceeded):
	case errors.Is(err, payments.ErrUnavailable):
		w.Header().Set("Retry-After", strconv.Itoa(writeRetryAfter))
		writeError(w, r, http.StatusServiceUnavailable, i18n.GatewayUnavailable)
		return
	case err != nil:
		internalError(w, r, h.deps.Logger, "confirming an intent", err)
		return
	default:
		if !awaitWrite(w, r, h.deps.Logger, h.deps.WaitForConfirmation, confirmed.Written()) {
			return
		}
	}
	link, err := h.siteLink(r.Context(), principal.CustomerID)
	if err != nil {
		internalError(w, r, h.deps.Logger, "reading the site's link", err)
		return
	}
	http.Redirect(w, r, link, http.StatusSeeOther)
}

// siteLink is the link of the site the customer registered on.
func (h intentHandlers) siteLink(ctx context.Context, customerID int64) (string, error) {
	c, err := h.deps.CustomerQueries.Customer(ctx, customerID)
	if err != nil {
		return "", err
	}
	site, err := h.deps.Catalog.Site(ctx, c.SiteID)
	if errors.Is(err, queries.ErrNotFound) || (err == nil && site.Link == "") {
		return "/", nil
	}
	return site.Link, err
}
