package transport

import (
	"net/http"

	"github.com/pelcro-oss/pelcro-api/aggregates/customer"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
)

// requirePostalCode is rule 25's AvaTax address validation, which makes postal_code required for US and CA
// addresses. No site or account setting holds it yet, so it is off everywhere.
const requirePostalCode = false

// addressTextFields maps the address's text inputs (spec 2.8) to the patch field each sets.
var addressTextFields = []textField[customer.AddressPatch]{
	{"type", func(p *customer.AddressPatch) **string { return &p.Type }},
	{"first_name", func(p *customer.AddressPatch) **string { return &p.FirstName }},
	{"last_name", func(p *customer.AddressPatch) **string { return &p.LastName }},
	{"title", func(p *customer.AddressPatch) **string { return &p.Title }},
	{"salutation", func(p *customer.AddressPatch) **string { return &p.Salutation }},
	{"company", func(p *customer.AddressPatch) **string { return &p.Company }},
	{"department", func(p *customer.AddressPatch) **string { return &p.Department }},
	{"line1", func(p *customer.AddressPatch) **string { return &p.Line1 }},
	{"line2", func(p *customer.AddressPatch) **string { return &p.Line2 }},
	{"city", func(p *customer.AddressPatch) **string { return &p.City }},
	{"state", func(p *customer.AddressPatch) **string { return &p.State }},
	{"postal_code", func(p *customer.AddressPatch) **string { return &p.PostalCode }},
	{"country", func(p *customer.AddressPatch) **string { return &p.Country }},
	{"phone", func(p *customer.AddressPatch) **string { return &p.Phone }},
}

// addressInput reads the address fields a request carries into a patch: absent or null fields are left
// out; a text field given a boolean, array or object (Params.Text), or is_default given anything but a
// boolean (or "true"/"false"/"1"/"0" from a form), is a field error. With such an error the command cannot
// run, so the answer also names every rule the well-typed fields break by themselves
// (customer.AddressProblems, of the address being added, or of the fields an update sends): one answer
// reports every field, as the other endpoints' do. The rules that need the stored address (an update's state against the stored country, a
// place in use) come from the command, once the types are right. An update also reads is_default_updated:
// move says it and is_default are both true (spec #47).
func addressInput(params Params, adding bool) (patch customer.AddressPatch, move bool, failures fieldErrors) {
	failures = fieldErrors{}
	readTextFields(params, "customer", addressTextFields, &patch, failures)
	patch.IsDefault = boolField(params, "is_default", failures)
	if !adding {
		moveAsked := boolField(params, "is_default_updated", failures)
		move = moveAsked != nil && *moveAsked && patch.IsDefault != nil && *patch.IsDefault
	}
	if len(failures) == 0 {
		return patch, move, failures
	}
	problems := customer.AddressProblems(customer.NormaliseAddress(patch.ApplyTo(customer.Address{})), requirePostalCode)
	for field, messages := range customerFieldErrors(problems) {
		if _, broken := failures[field]; !broken && (adding || params.Has(field)) {
			failures[field] = messages
		}
	}
	return patch, move, failures
}

// addressMeta is the "meta" block of POST /address: the id of the address just added (the spec leaves the
// block's contents undocumented).
type addressMeta struct {
	AddressID int64 `json:"address_id"`
}

// addAddress is POST /address (spec #46, rule 25): line1 and country required, type shipping unless given;
// a default address takes over from the previous default of its type.
func (h customerHandlers) addAddress(w http.ResponseWriter, r *http.Request) {
	patch, _, failures := addressInput(requestParams(r), true)
	if len(failures) > 0 {
		writeValidation(w, r, failures)
		return
	}
	result, id, err := h.deps.CustomerCommands.AddAddress(r.Context(), commandEnvelope(r, "customer.address.add"),
		commands.NewAddress{Target: target(r), Address: patch.ApplyTo(customer.Address{}), RequirePostalCode: requirePostalCode})
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	h.answer(w, r, result, freshToken, addressMeta{AddressID: id})
}

// updateAddress is PUT /address/{address_id} (spec #47): the given fields change, the result is checked as a
// new address is; its country and state stay while a subscription uses it. is_default and
// is_default_updated both true move the customer's subscriptions onto it (refused while the site charges
// taxes), and the answer then waits for the subscriptions read model too. An id that is not a positive
// integer, or names no address of the customer, is a 404.
func (h customerHandlers) updateAddress(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "address_id")
	if !ok {
		writeError(w, r, http.StatusNotFound, i18n.AddressNotFound)
		return
	}
	patch, move, failures := addressInput(requestParams(r), false)
	if len(failures) > 0 {
		writeValidation(w, r, failures)
		return
	}
	result, err := h.deps.CustomerCommands.UpdateAddress(r.Context(), commandEnvelope(r, "customer.address.update"),
		commands.AddressUpdate{Target: target(r), AddressID: id, Changes: patch, RequirePostalCode: requirePostalCode,
			MoveSubscriptions: move})
	if err != nil {
		h.refuse(w, r, err)
		return
	}
	if move && !awaitWrite(w, r, h.deps.Logger, h.deps.WaitForSubscriptions, result.Written()) {
		return
	}
	h.answer(w, r, result, freshToken, nil)
}
