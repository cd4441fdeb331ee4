package transport

import (
	"context"
	"errors"
	"net/http"

	"github.com/pelcro-oss/pelcro-api/aggregates"
	"github.com/pelcro-oss/pelcro-api/aggregates/subscription"
	"github.com/pelcro-oss/pelcro-api/commands"
	"github.com/pelcro-oss/pelcro-api/internal/i18n"
	"github.com/pelcro-oss/pelcro-api/queries"
)

// MembershipCommands runs the seat writes of a membership subscription (commands.Subscriptions).
type MembershipCommands interface {
	InviteMembers(ctx context.Context, env commands.Envelope, who commands.Target, id int64,
		addresses []string) (commands.SubscriptionResult, error)
	RemoveMember(ctx context.Context, env commands.Envelope, who commands.Target, id, memberID int64) (commands.SubscriptionResult, error)
}

// MembershipQueries lists a membership's seats (queries.Customers.Seats): queries.ErrNotFound when the
// subscription is not a membership of that customer.
type MembershipQueries interface {
	Seats(ctx context.Context, customerID, subscriptionID int64) ([]queries.Membership, error)
}

// membershipHandlers serve spec 2.5 (#35–#37). Anything but a membership subscription the caller owns
// (unknown, another customer's, not a membership, a seat it does not have) is 400 `Invalid subscription
// provided`, so nobody learns which subscriptions exist.
type membershipHandlers struct {
	walletHandlers
}

// memberDeleted is the answer of #37, as the Open API gives it.
type memberDeleted struct {
	Status  int    `json:"status"`
	Message string `json:"message"`
}

// list is GET /subscriptions/{id}/members/list (#35).
func (h membershipHandlers) list(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		writeError(w, r, http.StatusBadRequest, i18n.MembershipInvalidSubscription)
		return
	}
	seats, err := h.deps.MembershipQueries.Seats(r.Context(), target(r).CustomerID, id)
	if err != nil {
		h.refuseSeats(w, r, err)
		return
	}
	writeData(w, http.StatusOK, seats)
}

// invite is POST /subscriptions/{id}/members/invite (#36): the Customer with a fresh token once the seats
// read model shows the new pending seats.
func (h membershipHandlers) invite(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	if !ok {
		writeError(w, r, http.StatusBadRequest, i18n.MembershipInvalidSubscription)
		return
	}
	params, failures := requestParams(r), fieldErrors{}
	addresses := stringList(params, "invitation_emails", failures)
	if len(failures) > 0 {
		writeValidation(w, r, failures)
		return
	}
	result, err := h.deps.MembershipCommands.InviteMembers(r.Context(), commandEnvelope(r, "membership.invite"),
		target(r), id, addresses)
	if err != nil {
		h.refuseSeats(w, r, err)
		return
	}
	if !awaitWrite(w, r, h.deps.Logger, h.deps.WaitForMemberships, result.Written()) {
		return
	}
	h.answer(w, r, commands.CustomerResult{CustomerID: target(r).CustomerID}, freshToken, nil)
}

// remove is DELETE /subscriptions/{id}/members/{member_id} (#37): a soft delete that frees the seat.
func (h membershipHandlers) remove(w http.ResponseWriter, r *http.Request) {
	id, ok := pathID(r, "id")
	memberID, memberOK := pathID(r, "member_id")
	if !ok || !memberOK {
		writeError(w, r, http.StatusBadRequest, i18n.MembershipInvalidSubscription)
		return
	}
	result, err := h.deps.MembershipCommands.RemoveMember(r.Context(), commandEnvelope(r, "membership.remove"),
		target(r), id, memberID)
	if err != nil {
		h.refuseSeats(w, r, err)
		return
	}
	if !awaitWrite(w, r, h.deps.Logger, h.deps.WaitForMemberships, result.Written()) {
		return
	}
	writeJSON(w, http.StatusOK, memberDeleted{Status: http.StatusOK,
		Message: i18n.Localize(requestLanguage(r), i18n.MembershipMemberDeleted)})
}

// refuseSeats answers a seat command's refusal: broken value rules 400 with their fields; a subscription
// that is not the caller's membership, has ended (invite) or lacks the seat 400 `Invalid subscription
// provided`; anything else is a failure of the server.
func (h membershipHandlers) refuseSeats(w http.ResponseWriter, r *http.Request, err error) {
	if problems, ok := errors.AsType[aggregates.FieldProblems](err); ok {
		writeValidation(w, r, subscriptionFieldErrors(problems))
		return
	}
	for _, refusal := range []error{queries.ErrNotFound, subscription.ErrNotFound, subscription.ErrNotMembership,
		subscription.ErrEnded, subscription.ErrMemberNotFound} {
		if errors.Is(err, refusal) {
			writeError(w, r, http.StatusBadRequest, i18n.MembershipInvalidSubscription)
			return
		}
	}
	internalError(w, r, h.deps.Logger, "membership seat command failed", err)
}
