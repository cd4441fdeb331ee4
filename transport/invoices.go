package transport

import (
	"context"
	"errors"
	"net/http"

	"github.com/pelcro-oss/pelcro-api/aggregates/invoice"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// InvoiceCommands runs the invoice writes (commands.InvoicePayments).
type InvoiceCommands interface {
	Pay(ctx context.Context, env commands.Envelope, in commands.InvoicePayment) (commands.PaidInvoice, error)
}

// invoiceHandlers serve spec 2.7 (#45). Invoices are listed only in the Customer resource.
type invoiceHandlers struct {
	walletHandlers
}

// invoiceMeta is the "meta" block of a pay answer whose charge waits for 3-D Secure (spec 1.10): the
// payment intent the front end completes; the data is the Customer resource, as for every pay answer.
type invoiceMeta struct {
	PaymentIntent *payments.Intent `json:"payment_intent"`
}

// pay is POST /invoices/{invoice_id}/pay (#45, rule 24): the customer's open invoice is paid with source_id
// or with payment_gateway and gateway_token; the answer is the Customer (whose invoices and charges show
// it) with a fresh token, and a payment intent in meta when the card needs 3-D Secure.
func (h invoiceHandlers) pay(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "invoice_id")
	if !ok {
		writeError(w, r, http.StatusNotFound, i18n.InvoiceNotFound)
		return
	}
	in, failures := invoicePaymentInput(requestParams(r))
	if len(failures) > 0 {
		writeValidation(w, r, failures)
		return
	}
	in.Target, in.InvoiceID = target(r), id
	paid, err := h.deps.InvoiceCommands.Pay(r.Context(), commandEnvelope(r, "invoice.pay"), in)
	if err != nil {
		h.refuseInvoice(w, r, err)
		return
	}
	if !awaitWrite(w, r, h.deps.Logger, h.deps.invoicePaymentWait, paid.Written()) {
		return
	}
	var meta any
	if paid.Intent != nil {
		meta = invoiceMeta{PaymentIntent: paid.Intent}
	}
	h.answer(w, r, commands.CustomerResult{CustomerID: in.CustomerID}, freshToken, meta)
}

// invoicePaymentInput reads source_id, or gateway_token with payment_gateway (both required together); a
// source_id or gateway_token of "" is none (sourceIDParam, gatewayTokenParam).
func invoicePaymentInput(params Params) (commands.InvoicePayment, fieldErrors) {
	var in commands.InvoicePayment
	failures := fieldErrors{}
	if in.SourceID = sourceIDParam(params, failures); in.SourceID != 0 || len(failures) > 0 {
		return in, failures
	}
	token := gatewayTokenParam(params, "gateway_token", failures)
	if token == "" && len(failures) == 0 {
		failures["source_id"] = []i18n.MessageID{i18n.SourceIDRequiredWithout}
		return in, failures
	}
	switch gateway, ok := params.Text("payment_gateway"); {
	case !ok:
		failures["payment_gateway"] = []i18n.MessageID{i18n.PaymentGatewayText}
	case gateway == "":
		failures["payment_gateway"] = []i18n.MessageID{i18n.PaymentGatewayRequired}
	default:
		in.Gateway = gateway
	}
	in.Token = token
	return in, failures
}

// refuseInvoice answers a pay refusal (docs/invoices.md): an invoice the customer cannot see is 404 as an
// unknown one, an invoice no longer open 400, a source that is not a chargeable one of the customer's 404;
// declines and gateway failures as for cards.
func (h invoiceHandlers) refuseInvoice(w http.ResponseWriter, r *http.Request, err error) {
	switch {
	case errors.Is(err, invoice.ErrNotFound):
		writeError(w, r, http.StatusNotFound, i18n.InvoiceNotFound)
	case errors.Is(err, invoice.ErrAlreadyPaid):
		writeError(w, r, http.StatusBadRequest, i18n.InvoiceAlreadyPaid)
	case errors.Is(err, invoice.ErrVoid):
		writeError(w, r, http.StatusBadRequest, i18n.InvoiceVoid)
	case errors.Is(err, invoice.ErrUncollectible):
		writeError(w, r, http.StatusBadRequest, i18n.InvoiceUncollectible)
	case errors.Is(err, commands.ErrSourceAwaitingAuthentication):
		writeError(w, r, http.StatusNotFound, i18n.PaymentMethodPending)
	case errors.Is(err, commands.ErrSourceNotFound):
		writeError(w, r, http.StatusNotFound, i18n.PaymentMethodNotFound)
	default:
		h.refuseCard(w, r, err)
	}
}

// invoicePaymentWait is read-your-writes for an invoice payment: the invoices read model, and the
// subscriptions one, which shows the subscription a paid invoice of its made active again (the command
// records both, see commands.InvoicePayments).
func (d Dependencies) invoicePaymentWait(ctx context.Context, written commands.Written) error {
	if err := d.WaitForInvoices(ctx, written); err != nil {
		return err
	}
	return d.WaitForSubscriptions(ctx, written)
}
