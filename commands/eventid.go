package commands

import (
	"strconv"

	"github.com/google/uuid"
)

// eventIDNamespace is the UUIDv5 namespace of derived event ids. Warning: changing it changes every derived
// id, so a command retried across such a deploy would be written twice. Never change it.
var eventIDNamespace = uuid.MustParse("0b8f3c1e-5a57-4f63-9d1e-6c0f4e2a9b71")

// EventID derives the id of the index-th event a command writes to a stream. Because it depends only on
// its inputs, a retried command proposes the same ids again and the store (and the pipeline's own reload)
// recognise the events as already written.
//
// The stream is part of the name so that ids stay unique across the whole log (projections and audits may
// key on them; the stores only recognise ids within one stream): one command that writes to two streams,
// e.g. a uniqueness reservation and the aggregate, must not derive the same id twice. The stream's length is written first, so no choice of
// command id can make two different (stream, command) pairs spell the same name.
func EventID(stream, commandID string, index int) uuid.UUID {
	name := strconv.Itoa(len(stream)) + ":" + stream + commandID + ":" + strconv.Itoa(index)
	return uuid.NewSHA1(eventIDNamespace, []byte(name))
}
