package personaldata

import (
	"bytes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// A sealed value replaces a personal field's JSON value with an object no plaintext value of a personal field
// can be (aggregates.PersonalTag): {"$sealed":"<base64 of nonce ‖ AES-256-GCM ciphertext>","g":<generation>},
// and {"$sealed":…,"g":…,"s":"<part>"} for a value sealed under a part of its stream's subject (see parts.go).
// Warning: a stored format; every sealed event of the log has it.
var (
	sealedPrefix = []byte(`{"` + aggregates.SealedKey + `":`)
	// sealedMarker is in the data of every event holding a sealed value: events without it are plaintext.
	sealedMarker = []byte(`"` + aggregates.SealedKey + `"`)
	jsonNull     = []byte(`null`)
)

type sealedValue struct {
	Sealed     []byte `json:"$sealed"`
	Generation int    `json:"g"`
	// Part is the subject of the key, when it is a part of the stream's subject ("" for the stream's own).
	Part string `json:"s,omitempty"`
}

// fieldAAD binds a sealed value to its subject, its event and its field: moved anywhere else it does not
// open.
func fieldAAD(subject string, eventID uuid.UUID, field string) []byte {
	return []byte("pelcro personal data v1\x00" + subject + "\x00" + eventID.String() + "\x00" + field)
}

// sealField returns the sealed form of a field's JSON value under the stream's own key.
func sealField(aead cipher.AEAD, generation int, aad []byte, value []byte) []byte {
	return sealFieldUnder(aead, generation, "", aad, value)
}

// sealFieldUnder returns the sealed form of a field's JSON value, naming part when the key is a part's.
// A part is a stream name and an id (partSubject), so it needs no escaping in JSON.
func sealFieldUnder(aead cipher.AEAD, generation int, part string, aad []byte, value []byte) []byte {
	sealed := seal(aead, value, aad)
	out := make([]byte, 0, len(sealedPrefix)+base64.StdEncoding.EncodedLen(len(sealed))+16)
	out = append(out, sealedPrefix...)
	out = append(out, '"')
	out = base64.StdEncoding.AppendEncode(out, sealed)
	out = append(out, `","g":`...)
	out = strconv.AppendInt(out, int64(generation), 10)
	if part != "" {
		out = append(out, `,"s":"`...)
		out = append(out, part...)
		out = append(out, '"')
	}
	return append(out, '}')
}

// parseSealed reads a field's value as a sealed value; ok is false for a plaintext value. The exact shape
// sealField writes is read directly; any other spelling of the wrapper goes through encoding/json.
func parseSealed(value []byte) (v sealedValue, ok bool, err error) {
	if !bytes.HasPrefix(value, sealedPrefix) {
		return sealedValue{}, false, nil
	}
	if v, ok := parseSealedExactly(value[len(sealedPrefix):]); ok {
		return v, true, nil
	}
	if err := json.Unmarshal(value, &v); err != nil || v.Generation < 1 {
		return sealedValue{}, true, fmt.Errorf("personaldata: malformed sealed value: %v", err)
	}
	return v, true, nil
}

// parseSealedExactly reads `"<base64>","g":<generation>}` or `"<base64>","g":<generation>,"s":"<part>"}`,
// the rest of a wrapper as sealFieldUnder writes it.
func parseSealedExactly(rest []byte) (sealedValue, bool) {
	if len(rest) == 0 || rest[0] != '"' {
		return sealedValue{}, false
	}
	encoded, tail, found := bytes.Cut(rest[1:], []byte(`"`))
	if !found || !bytes.HasPrefix(tail, []byte(`,"g":`)) || !bytes.HasSuffix(tail, []byte(`}`)) {
		return sealedValue{}, false
	}
	number, part := tail[len(`,"g":`):len(tail)-1], ""
	if g, p, withPart := bytes.Cut(number, []byte(`,"s":"`)); withPart {
		if len(p) < 2 || p[len(p)-1] != '"' || bytes.ContainsAny(p[:len(p)-1], "\\\"") {
			return sealedValue{}, false
		}
		number, part = g, string(p[:len(p)-1])
	}
	generation, err := strconv.Atoi(string(number))
	if err != nil || generation < 1 {
		return sealedValue{}, false
	}
	sealed := make([]byte, base64.StdEncoding.DecodedLen(len(encoded)))
	n, err := base64.StdEncoding.Decode(sealed, encoded)
	if err != nil {
		return sealedValue{}, false
	}
	return sealedValue{Sealed: sealed[:n], Generation: generation, Part: part}, true
}

// carriesNothing tells a field value that holds no personal data whatever the field: null, "", {} or [].
// Such values are left in plaintext.
func carriesNothing(value []byte) bool {
	switch string(bytes.TrimSpace(value)) {
	case "null", `""`, "{}", "[]":
		return true
	}
	return false
}

// sealingKey is the current key of a subject, which seals its new values.
type sealingKey struct {
	generation int
	aead       cipher.AEAD
}

// memberValue is the JSON value of the member named name, or nil.
func memberValue(data []byte, members []member, name string) []byte {
	for _, m := range members {
		if m.name == name {
			return data[m.start:m.end]
		}
	}
	return nil
}
