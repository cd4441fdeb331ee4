package transport

import (
	"context"
	"log/slog"
	"net/http"
	"time"

	"github.com/pelcro-oss/pelcro-api/internal/i18n"
	"github.com/pelcro-oss/pelcro-api/internal/idempotency"
)

// IdempotencyStore keeps the Idempotency-Key claims every API instance shares (internal/idempotency.Store,
// wired by cmd/pelcro): Begin claims a key or says why not, Finish stores the answer to replay, Abandon
// releases the key so the same request may run again.
type IdempotencyStore interface {
	Begin(ctx context.Context, a idempotency.Attempt) (idempotency.Claim, error)
	Finish(ctx context.Context, c idempotency.Claim, r idempotency.Response) error
	Abandon(ctx context.Context, c idempotency.Claim) error
}

// DefaultIdempotencyWait is how long a request waits for another one holding its key when
// Dependencies.IdempotencyWait is zero: as long as a write may wait for its read model, short enough to
// answer 409 before a client's own timeout.
const DefaultIdempotencyWait = 10 * time.Second

// idempotencyFirstPoll and idempotencyMaxPoll bound the pause between two looks at a key another request
// holds; it doubles from the first to the max.
const (
	idempotencyFirstPoll = 20 * time.Millisecond
	idempotencyMaxPoll   = 250 * time.Millisecond
)

// releaseTimeout bounds storing or releasing a claim once the handler is done.
const releaseTimeout = 5 * time.Second

// idempotencyGuard honours Idempotency-Key on the mutations of one subrouter; scope names the caller the key
// belongs to (customerScope, publicScope).
type idempotencyGuard struct {
	store IdempotencyStore
	wait  time.Duration
	log   *slog.Logger
	scope func(*http.Request) string
}

// middleware runs a mutation sent with a valid key at most once per caller, key and request: the first
// answer worth keeping (keptAnswer) is replayed to every retry for idempotency.Window, another request
// under the key is a 422, and a retry arriving while the first still runs waits for its answer, or past
// the guard's wait gets a 409.
// Requests without the header, and safe methods, pass through untouched.
func (g idempotencyGuard) middleware(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		key, present := idempotencyKey(r)
		switch {
		case !present || !isMutation(r.Method):
			next.ServeHTTP(w, r)
			return
		case !saneIdempotencyKey(key):
			writeValidation(w, r, fieldErrors{idempotencyKeyHeader: {i18n.IdempotencyKeyInvalid}})
			return
		}
		attempt := idempotency.Attempt{Scope: g.scope(r), Key: key, Fingerprint: requestFingerprint(r)}
		claim, err := g.claim(r.Context(), attempt)
		if err != nil {
			internalError(w, r, g.log, "claiming an idempotency key", err)
			return
		}
		switch claim.Outcome {
		case idempotency.Replay:
			replay(w, claim.Response)
		case idempotency.Mismatch:
			writeError(w, r, http.StatusUnprocessableEntity, i18n.IdempotencyKeyMismatch)
		case idempotency.Busy:
			w.Header().Set("Retry-After", "1")
			writeError(w, r, http.StatusConflict, i18n.IdempotencyKeyInFlight)
		default:
			g.run(w, r, next, claim)
		}
	})
}

// claim begins the attempt, waiting with a growing pause while another request holds the key, up to the
// guard's wait; past it the claim is still Busy.
func (g idempotencyGuard) claim(ctx context.Context, a idempotency.Attempt) (idempotency.Claim, error) {
	ctx, cancel := context.WithTimeout(ctx, g.wait)
	defer cancel()
	pause := idempotencyFirstPoll
	for {
		claim, err := g.store.Begin(ctx, a)
		if err != nil && ctx.Err() != nil {
			return idempotency.Claim{Outcome: idempotency.Busy}, nil
		}
		if err != nil || claim.Outcome != idempotency.Busy {
			return claim, err
		}
		timer := time.NewTimer(pause)
		select {
		case <-ctx.Done():
			timer.Stop()
			return claim, nil
		case <-timer.C:
		}
		pause = min(2*pause, idempotencyMaxPoll)
	}
}

// run serves the request as the key's holder, with command ids derived from the key, then stores the
// answer or releases the key. A panic releases the key too before it goes on to recoverPanics.
func (g idempotencyGuard) run(w http.ResponseWriter, r *http.Request, next http.Handler, claim idempotency.Claim) {
	stateOf(r).commandBase = claim.CommandID
	recorder := &answerRecorder{ResponseWriter: w}
	finished := false
	defer func() {
		if !finished {
			g.release(r, claim, idempotency.Response{}, false)
		}
	}()
	next.ServeHTTP(recorder, r)
	finished = true
	answer, keep := recorder.kept()
	answer.Subject = stateOf(r).subject
	g.release(r, claim, answer, keep)
}

// release stores the answer (keep) or abandons the claim, even when the client has hung up: otherwise the
// key would stay held until its lease runs out. A failure is only logged: the answer is out, and the worst
// outcome is a retry that runs again (writing nothing twice) or waits for the lease.
func (g idempotencyGuard) release(r *http.Request, claim idempotency.Claim, answer idempotency.Response, keep bool) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(r.Context()), releaseTimeout)
	defer cancel()
	var err error
	if keep {
		err = g.store.Finish(ctx, claim, answer)
	} else {
		err = g.store.Abandon(ctx, claim)
	}
	if err != nil {
		g.log.WarnContext(ctx, "releasing an idempotency key", requestIDs(r), "error", err)
	}
}

// isMutation says whether a method may change something: the methods Idempotency-Key applies to.
func isMutation(method string) bool {
	switch method {
	case http.MethodPost, http.MethodPut, http.MethodPatch, http.MethodDelete:
		return true
	}
	return false
}
