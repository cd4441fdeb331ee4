package personaldata

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/pelcro-oss/pelcro-api/eventstore"
)

// A part is a data subject within a stream's subject: "<stream>/<member>-<value>", named by an id the event
// carries (aggregates.PersonalTag, personal:"part:<member>"). A field that is personal data of someone else
// than the stream's subject (an invitee's address on the owner's subscription) is sealed under a part's key,
// so erasing that someone shreds the part alone (ErasePart), while erasing the stream's subject shreds its
// parts with it (Keys.shred). A part is named by a stream and an id, never by personal data.
//
// Parts' keys are never cached: they are read at each open, so a part erased by another process reads as
// erased at once. Parts are for rare events (an invitation); events holding one are not memoised either.

// ErrNotAPart is returned by ErasePart for a name that is not a part of a data subject's stream.
var ErrNotAPart = errors.New("personaldata: not a part of a data subject")

// partMarker is in the data of every event holding a value sealed under a part.
var partMarker = []byte(`,"s":"`)

// partSubject names the part of stream whose id is the JSON value of member (a number or a plain string).
func partSubject(stream, member string, value []byte) (string, error) {
	id := string(value)
	if unquoted, err := strconv.Unquote(id); err == nil {
		id = unquoted
	}
	if id == "" || id == "null" || strings.ContainsAny(id, "\"\\/") {
		return "", fmt.Errorf("personaldata: %s: part member %s holds %s, not an id", stream, member, value)
	}
	return stream + "/" + member + "-" + id, nil
}

// PartSubject names the part of stream whose member holds id, as a sealed value written by this store names
// it: what ErasePart takes.
func PartSubject(stream, member string, id int64) string {
	return stream + "/" + member + "-" + strconv.FormatInt(id, 10)
}

// isPartOf tells whether subject is a part of stream.
func isPartOf(subject, stream string) bool { return strings.HasPrefix(subject, stream+"/") }

// ErasePart shreds the keys of part (PartSubject), so every value sealed under it reads as null from then on,
// wherever it is read. It reports whether the part had a key, now or when it was erased before (erasing a
// part again is a no-op that reports true): false for a part never sealed under (an event written before its
// field was sealed under a part), whose values this erasure could not reach.
func (s *Store) ErasePart(ctx context.Context, part string) (bool, error) {
	stream, _, found := strings.Cut(part, "/")
	if !found || !s.isSubject(stream) || !isPartOf(part, stream) {
		return false, fmt.Errorf("%w: %q", ErrNotAPart, part)
	}
	return s.keys.shred(ctx, part)
}

// partsOf lists the parts whose keys events' sealed values need, each once.
func partsOf(events []eventstore.RecordedEvent, need []bool) []string {
	var parts []string
	for i, e := range events {
		if !need[i] || !bytes.Contains(e.Data, partMarker) {
			continue
		}
		members, err := membersOf(e.Data)
		if err != nil {
			continue // openEvent reports it
		}
		for _, m := range members {
			sealed, ok, err := parseSealed(e.Data[m.start:m.end])
			if err == nil && ok && sealed.Part != "" && !slices.Contains(parts, sealed.Part) {
				parts = append(parts, sealed.Part)
			}
		}
	}
	return parts
}
