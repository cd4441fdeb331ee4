package personaldata

import (
	"bytes"
	"crypto/cipher"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/google/uuid"

	"github.com/pelcro-oss/pelcro-api/aggregates"
)

// A sealed value replaces a personal field's JSON value with an object no plaintext value of a personal field
// can be (aggregates.PersonalTag): {"$sealed":"<base64 of nonce ‖ AES-256-GCM ciphertext>","g":<generation>}.
// Warning: a stored format; every sealed event of the log has it.
var (
	sealedPrefix = []byte(`{"` + aggregates.SealedKey + `":`)
	// sealedMarker is in the data of every event holding a sealed value: events without it are plaintext.
	sealedMarker = []byte(`"` + aggregates.SealedKey + `"`)
	jsonNull     = json.RawMessage(`null`)
)

type sealedValue struct {
	Sealed     []byte `json:"$sealed"`
	Generation int    `json:"g"`
}

// fieldAAD binds a sealed value to its subject, its event and its field: moved anywhere else it does not
// open.
func fieldAAD(subject string, eventID uuid.UUID, field string) []byte {
	return []byte("pelcro personal data v1\x00" + subject + "\x00" + eventID.String() + "\x00" + field)
}

// sealField returns the sealed form of a field's JSON value.
func sealField(aead cipher.AEAD, generation int, aad []byte, value json.RawMessage) json.RawMessage {
	sealed := seal(aead, value, aad)
	out := make([]byte, 0, len(sealedPrefix)+base64.StdEncoding.EncodedLen(len(sealed))+16)
	out = append(out, sealedPrefix...)
	out = append(out, '"')
	out = base64.StdEncoding.AppendEncode(out, sealed)
	out = append(out, `","g":`...)
	out = strconv.AppendInt(out, int64(generation), 10)
	return append(out, '}')
}

// parseSealed reads a field's value as a sealed value; ok is false for a plaintext value.
func parseSealed(value json.RawMessage) (v sealedValue, ok bool, err error) {
	if !bytes.HasPrefix(value, sealedPrefix) {
		return sealedValue{}, false, nil
	}
	if err := json.Unmarshal(value, &v); err != nil || v.Generation < 1 {
		return sealedValue{}, true, fmt.Errorf("personaldata: malformed sealed value: %v", err)
	}
	return v, true, nil
}

// carriesNothing tells a field value that holds no personal data whatever the field: null, "", {} or [].
// Such values are left in plaintext.
func carriesNothing(value json.RawMessage) bool {
	switch string(bytes.TrimSpace(value)) {
	case "null", `""`, "{}", "[]":
		return true
	}
	return false
}

// errNotAnObject is returned for event data that is not a JSON object: it cannot hold a personal field.
var errNotAnObject = errors.New("personaldata: event data is not a JSON object")

// fieldsOf splits event data into its top-level fields.
func fieldsOf(data []byte) (map[string]json.RawMessage, error) {
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(data, &fields); err != nil || fields == nil {
		return nil, errNotAnObject
	}
	return fields, nil
}
