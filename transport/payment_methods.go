package transport

import (
	"context"
	"errors"
	"net/http"
	"strconv"

	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// WalletCommands runs the payment method writes (commands.Wallets).
type WalletCommands interface {
	Save(ctx context.Context, env commands.Envelope, in commands.NewPaymentMethod) (commands.WalletResult, error)
	Update(ctx context.Context, env commands.Envelope, in commands.PaymentMethodChange) (commands.WalletResult, error)
	Delete(ctx context.Context, env commands.Envelope, t commands.Target, id int64) (commands.WalletResult, error)
	// PendingSetup is the setup intent a card still waiting for 3-D Secure waits for (nil for another card).
	PendingSetup(ctx context.Context, t commands.Target, id int64) (*payments.Intent, error)
}

// PaymentMethodQueries reads the customer's cards (queries.PaymentMethods); queries.ErrNotFound for a card
// the customer does not have.
type PaymentMethodQueries interface {
	List(ctx context.Context, customerID int64) ([]queries.PaymentMethod, error)
	Get(ctx context.Context, customerID, id int64) (queries.PaymentMethod, error)
}

// walletHandlers serve spec 2.6 (#38–#44).
type walletHandlers struct {
	customerHandlers
}

// paymentMethodBody is the Payment method resource as answered, with the setup intent a card needing
// 3-D Secure waits for (spec 1.10): on create and update, and on GET of a card still pending.
type paymentMethodBody struct {
	queries.PaymentMethod
	SetupIntent *payments.Intent `json:"setup_intent,omitempty"`
}

// paymentMethodRoutes mounts #38–#44 on the token-protected routes.
// create is POST /payment_methods (#38): the card of `token` is saved (201), the first one as the default.
func (h walletHandlers) create(w http.ResponseWriter, r *http.Request) {
	in, failures, ok := h.newCardInput(w, r)
	if !ok {
		return
	}
	if isDefault := boolField(requestParams(r), "is_default", failures); isDefault != nil {
		in.MakeDefault = *isDefault
	}
	if len(failures) > 0 {
		writeValidation(w, r, failures)
		return
	}
	result, err := h.deps.WalletCommands.Save(r.Context(), commandEnvelope(r, "wallet.save"), in)
	if err != nil {
		h.refuseCard(w, r, err)
		return
	}
	h.answerCard(w, r, result, http.StatusCreated)
}

// newCardInput reads token and payment_gateway. A missing token (absent, null or "") is the 404 of an
// invalid one (spec #38); one given as a boolean, list or object is a 400 on token (gatewayTokenParam).
func (h walletHandlers) newCardInput(w http.ResponseWriter, r *http.Request) (commands.NewPaymentMethod, fieldErrors, bool) {
	params, failures := requestParams(r), fieldErrors{}
	token := gatewayTokenParam(params, "token", failures)
	if token == "" && len(failures) == 0 {
		writeError(w, r, http.StatusNotFound, i18n.PaymentTokenInvalid)
		return commands.NewPaymentMethod{}, nil, false
	}
	gateway := gatewayParam(params, failures)
	return commands.NewPaymentMethod{Target: target(r), Token: token, Gateway: gateway}, failures, true
}

// list is GET /payment_methods (#39): the customer's cards, deleted ones left out.
func (h walletHandlers) list(w http.ResponseWriter, r *http.Request) {
	methods, err := h.deps.PaymentMethods.List(r.Context(), target(r).CustomerID)
	if err != nil {
		internalError(w, r, h.deps.Logger, "listing payment methods", err)
		return
	}
	writeData(w, http.StatusOK, methods)
}

// get is GET /payment_methods/{id} (#40); another customer's card is a 404 like an unknown one. A card still
// waiting for 3-D Secure comes with its setup intent, so a front end can resume the authentication.
func (h walletHandlers) get(w http.ResponseWriter, r *http.Request) {
	id, ok := h.methodID(w, r, "payment_method_id")
	if !ok {
		return
	}
	m, ok := h.read(w, r, target(r).CustomerID, id)
	if !ok {
		return
	}
	var setup *payments.Intent
	if m.Status == string(wallet.StatusPending) {
		var err error
		if setup, err = h.deps.WalletCommands.PendingSetup(r.Context(), target(r), id); err != nil {
			h.refuseCard(w, r, err)
			return
		}
	}
	writeData(w, http.StatusOK, paymentMethodBody{PaymentMethod: m, SetupIntent: setup})
}

// remove is DELETE /payment_methods/{id} (#42): a soft delete answering the card with its deleted_at.
func (h walletHandlers) remove(w http.ResponseWriter, r *http.Request) {
	id, ok := h.methodID(w, r, "payment_method_id")
	if !ok {
		return
	}
	result, err := h.deps.WalletCommands.Delete(r.Context(), commandEnvelope(r, "wallet.delete"), target(r), id)
	if err != nil {
		h.refuseCard(w, r, err)
		return
	}
	h.answerCard(w, r, result, http.StatusOK)
}

// methodID reads a card id from the path; one not in canonical form (pathID) names no card (404).
func (h walletHandlers) methodID(w http.ResponseWriter, r *http.Request, name string) (int64, bool) {
	id, ok := pathID(r, name)
	if !ok {
		writeError(w, r, http.StatusNotFound, i18n.PaymentMethodNotFound)
	}
	return id, ok
}

// answerCard waits until the payment methods read model reflects the command, then answers the card.
func (h walletHandlers) answerCard(w http.ResponseWriter, r *http.Request, result commands.WalletResult, status int) {
	if !awaitWrite(w, r, h.deps.Logger, h.deps.WaitForWallet, result.Written()) {
		return
	}
	m, ok := h.read(w, r, result.CustomerID, result.PaymentMethodID)
	if !ok {
		return
	}
	writeData(w, status, paymentMethodBody{PaymentMethod: m, SetupIntent: result.SetupIntent})
}

// declineMessages word the gateway's refusals (convention 1).
var declineMessages = map[payments.DeclineReason]i18n.MessageID{
	payments.CardDeclined:      i18n.CardDeclined,
	payments.InsufficientFunds: i18n.CardInsufficientFunds,
	payments.ExpiredCard:       i18n.CardExpired,
	payments.IncorrectCVC:      i18n.CardIncorrectCVC,
	payments.ProcessingError:   i18n.CardProcessingError,
	payments.InvalidToken:      i18n.PaymentTokenInvalid,
}

// refuseCard answers a wallet command's refusal (docs/payments.md), or 500 for a failure that is not one.
func (h walletHandlers) refuseCard(w http.ResponseWriter, r *http.Request, err error) {
	var declined *payments.Declined
	switch {
	case errors.As(err, &declined):
		message, ok := declineMessages[declined.Reason]
		if !ok {
			message = i18n.CardDeclined
		}
		writeError(w, r, http.StatusNotFound, message)
	case errors.Is(err, payments.ErrUnavailable):
		w.Header().Set("Retry-After", strconv.Itoa(writeRetryAfter))
		writeError(w, r, http.StatusServiceUnavailable, i18n.GatewayUnavailable)
	case errors.Is(err, commands.ErrUnknownGateway):
		writeValidation(w, r, fieldErrors{"payment_gateway": {i18n.PaymentGatewayInvalid}})
	case errors.Is(err, wallet.ErrTooMany):
		writeError(w, r, http.StatusNotFound, i18n.PaymentMethodsTooMany)
	case errors.Is(err, wallet.ErrNotFound):
		writeError(w, r, http.StatusNotFound, i18n.PaymentMethodNotFound)
	case errors.Is(err, wallet.ErrDefaultNotDeletable):
		writeError(w, r, http.StatusBadRequest, i18n.PaymentMethodIsDefault)
	case errors.Is(err, wallet.ErrInUse):
		writeError(w, r, http.StatusBadRequest, i18n.PaymentMethodInUse)
	default:
		internalError(w, r, h.deps.Logger, "wallet command failed", err)
	}
}

// read answers the customer's payment method id from the read model, or writes the 404 (none of theirs) or
// the 500 and reports false.
func (h walletHandlers) read(w http.ResponseWriter, r *http.Request, customerID, id int64) (queries.PaymentMethod, bool) {
	m, err := h.deps.PaymentMethods.Get(r.Context(), customerID, id)
	if errors.Is(err, queries.ErrNotFound) {
		writeError(w, r, http.StatusNotFound, i18n.PaymentMethodNotFound)
		return m, false
	}
	if err != nil {
		internalError(w, r, h.deps.Logger, "reading a payment method", err)
		return m, false
	}
	return m, true
}
