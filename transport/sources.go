package transport

import (
	"errors"
	"math"
	"net/http"

	"github.com/pelcro-oss/pelcro-api/aggregates/wallet"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
	"github.com/pelcro-oss/pelcro-api/internal/payments"
)

// update is PUT /payment_methods/{id} (#41, rule 23): is_default or payment_gateway required; with
// payment_gateway, a new expiry in exp_month and exp_year.
func (h walletHandlers) update(w http.ResponseWriter, r *http.Request) {
	id, ok := h.methodID(w, r, "payment_method_id")
	if !ok {
		return
	}
	change, failures := cardChangeInput(requestParams(r))
	if len(failures) > 0 {
		writeValidation(w, r, failures)
		return
	}
	change.Target, change.PaymentMethodID = target(r), id
	result, err := h.deps.WalletCommands.Update(r.Context(), commandEnvelope(r, "wallet.update"), change)
	switch {
	case errors.Is(err, wallet.ErrExpiryYear):
		writeValidation(w, r, fieldErrors{"exp_year": {i18n.ExpYearInvalid}})
	case errors.Is(err, wallet.ErrExpiryMalformed):
		writeValidation(w, r, fieldErrors{"exp_month": {i18n.ExpMonthInvalid}})
	case errors.Is(err, wallet.ErrExpiryPast):
		writeValidation(w, r, fieldErrors{"exp_year": {i18n.ExpiryPast}})
	case err != nil:
		h.refuseCard(w, r, err)
	default:
		h.answerCard(w, r, result, http.StatusOK)
	}
}

// cardChangeInput reads #41's body: is_default or payment_gateway required; with payment_gateway, a new
// expiry in exp_month and exp_year. The target and card are the caller's to fill in.
func cardChangeInput(params Params) (commands.PaymentMethodChange, fieldErrors) {
	var change commands.PaymentMethodChange
	failures := fieldErrors{}
	isDefault := boolField(params, "is_default", failures)
	if isDefault != nil {
		change.MakeDefault = *isDefault
	}
	if params.Has("payment_gateway") {
		change.Gateway = gatewayParam(params, failures)
		month := intField(params, "exp_month", i18n.ExpMonthRequired, i18n.ExpMonthInvalid, wallet.ValidMonth, failures)
		year := intField(params, "exp_year", i18n.ExpYearRequired, i18n.ExpYearInvalid, wallet.ValidYear, failures)
		change.Expiry = &wallet.Expiry{Month: month, Year: year}
	} else if isDefault == nil && len(failures) == 0 {
		failures["is_default"] = []i18n.MessageID{i18n.IsDefaultRequiredWithout}
	}
	return change, failures
}

// gatewayParam reads payment_gateway: "" when absent; a value that is not text is a field error (a name
// this installation does not serve is refused by the command).
func gatewayParam(params Params, failures fieldErrors) string {
	if !params.Has("payment_gateway") {
		return ""
	}
	value, ok := params.Text("payment_gateway")
	switch {
	case !ok:
		failures["payment_gateway"] = []i18n.MessageID{i18n.PaymentGatewayText}
	case value == "":
		failures["payment_gateway"] = []i18n.MessageID{i18n.PaymentGatewayInvalid}
	}
	return value
}

// ccExpInput reads #44's body: cc_exp, MM/YY. Absent, null and "" are all missing (the required message).
func ccExpInput(params Params) (wallet.Expiry, fieldErrors) {
	ccExp, isText := params.Text("cc_exp")
	if !params.Has("cc_exp") || (isText && ccExp == "") {
		return wallet.Expiry{}, fieldErrors{"cc_exp": {i18n.Required("cc_exp")}}
	}
	expiry, err := wallet.ParseCCExp(ccExp)
	if err != nil {
		return wallet.Expiry{}, fieldErrors{"cc_exp": {i18n.CCExpFormat}}
	}
	return expiry, nil
}

// intField reads a required whole number given as a JSON number or digits, which valid accepts: each field
// names its own fault, before the command runs.
func intField(params Params, name string, required, invalid i18n.MessageID, valid func(int) bool,
	failures fieldErrors) int {
	n, _, err := params.Integer(name, true)
	switch {
	case errors.Is(err, errIntegerRequired):
		failures[name] = append(failures[name], required)
		return 0
	case err != nil || n < math.MinInt32 || n > math.MaxInt32 || !valid(int(n)):
		failures[name] = append(failures[name], invalid)
	}
	return int(n)
}

// sourceMeta is the "meta" block of the deprecated source endpoints when the card needs 3-D Secure: the
// setup intent the front end completes (their data is the Customer resource).
type sourceMeta struct {
	SetupIntent *payments.Intent `json:"setup_intent"`
}

// createSource is POST /source (#43, deprecated): the card is saved as the default; the answer is the
// Customer with a fresh token.
func (h walletHandlers) createSource(w http.ResponseWriter, r *http.Request) {
	in, failures, ok := h.newCardInput(w, r)
	if !ok {
		return
	}
	if len(failures) > 0 {
		writeValidation(w, r, failures)
		return
	}
	in.MakeDefault = true
	result, err := h.deps.WalletCommands.Save(r.Context(), commandEnvelope(r, "wallet.save"), in)
	if err != nil {
		h.refuseCard(w, r, err)
		return
	}
	h.answerCustomer(w, r, result)
}

// updateSource is PUT /source/{id} (#44, deprecated): a new expiry as cc_exp, MM/YY, not yet past.
func (h walletHandlers) updateSource(w http.ResponseWriter, r *http.Request) {
	id, ok := h.methodID(w, r, "id")
	if !ok {
		return
	}
	expiry, failures := ccExpInput(requestParams(r))
	if len(failures) > 0 {
		writeValidation(w, r, failures)
		return
	}
	result, err := h.deps.WalletCommands.Update(r.Context(), commandEnvelope(r, "wallet.update"),
		commands.PaymentMethodChange{Target: target(r), Change: wallet.Change{PaymentMethodID: id, Expiry: &expiry}})
	switch {
	case errors.Is(err, wallet.ErrExpiryPast):
		writeValidation(w, r, fieldErrors{"cc_exp": {i18n.CCExpPast}})
	case err != nil:
		h.refuseCard(w, r, err)
	default:
		h.answerCustomer(w, r, result)
	}
}

// answerCustomer waits until the payment methods read model reflects the command, then answers the
// Customer (whose source and sources come from it) with a fresh token.
func (h walletHandlers) answerCustomer(w http.ResponseWriter, r *http.Request, result commands.WalletResult) {
	if !awaitWrite(w, r, h.deps.Logger, h.deps.WaitForWallet, result.Written()) {
		return
	}
	var meta any
	if result.SetupIntent != nil {
		meta = sourceMeta{SetupIntent: result.SetupIntent}
	}
	h.answer(w, r, commands.CustomerResult{CustomerID: result.CustomerID}, freshToken, meta)
}
