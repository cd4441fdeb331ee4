package idempotency

import (
	"crypto/aes"
	"crypto/cipher"
	"crypto/hkdf"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"strconv"
	"time"
)

// MinSecretBytes is the shortest secret NewStore accepts (auth.Keys.Idempotency has 32 bytes).
const MinSecretBytes = 32

// HKDF labels of the two keys derived from the secret. Stored format in effect: changing one makes every
// stored row unreachable (mac) or unreadable (seal), and changes the command ids retries derive.
const (
	macKeyLabel  = "pelcro idempotency mac v1"
	sealKeyLabel = "pelcro idempotency response seal v1"
)

// Domain labels of the MACs, so a value computed for one purpose never equals one computed for another.
const (
	rowIDPurpose       = "row"
	fingerprintPurpose = "fingerprint"
	commandIDPurpose   = "command"
	subjectPurpose     = "subject"
)

// keys are what the store derives from the server's secret: a MAC key naming rows, fingerprints and
// command ids, and an AEAD sealing the stored answers.
type keys struct {
	mac  []byte
	seal cipher.AEAD
}

func deriveKeys(secret []byte) (keys, error) {
	if len(secret) < MinSecretBytes {
		return keys{}, fmt.Errorf("idempotency: secret of %d bytes, want at least %d", len(secret), MinSecretBytes)
	}
	mac, err := hkdf.Key(sha256.New, secret, nil, macKeyLabel, 32)
	if err != nil {
		return keys{}, fmt.Errorf("idempotency: derive key: %w", err)
	}
	sealKey, err := hkdf.Key(sha256.New, secret, nil, sealKeyLabel, 32)
	if err != nil {
		return keys{}, fmt.Errorf("idempotency: derive key: %w", err)
	}
	block, err := aes.NewCipher(sealKey)
	if err != nil {
		return keys{}, err
	}
	seal, err := cipher.NewGCM(block)
	if err != nil {
		return keys{}, err
	}
	return keys{mac: mac, seal: seal}, nil
}

// sum is the MAC of the parts for one purpose. Each part is written after its length, so no two lists of
// parts spell the same input.
func (k keys) sum(purpose string, parts ...[]byte) []byte {
	m := hmac.New(sha256.New, k.mac)
	writePart(m, []byte(purpose))
	for _, p := range parts {
		writePart(m, p)
	}
	return m.Sum(nil)
}

func writePart(h hash.Hash, p []byte) {
	h.Write(binary.BigEndian.AppendUint64(nil, uint64(len(p))))
	h.Write(p)
}

// rowID names the row of a key used by a caller: neither can be read back from it.
func (k keys) rowID(a Attempt) []byte {
	return k.sum(rowIDPurpose, []byte(a.Scope), []byte(a.Key))
}

// fingerprint is what the row keeps of the request: its MAC, so a request body (a password) cannot be
// guessed from it offline.
func (k keys) fingerprint(a Attempt) []byte {
	return k.sum(fingerprintPurpose, a.Fingerprint)
}

// subject names the data subject of a stored answer without revealing it.
func (k keys) subject(subject string) []byte {
	return k.sum(subjectPurpose, []byte(subject))
}

// commandID derives the command id of an attempt: the same for every retry of the request while its row
// lives (firstUse is the row's creation time), different for another caller, key or request, and for the
// same request once the key expired and was used anew. It goes into the event log, so it is keyed: it
// reveals nothing about the key or the request.
func (k keys) commandID(a Attempt, firstUse time.Time) string {
	sum := k.sum(commandIDPurpose, []byte(a.Scope), []byte(a.Key), a.Fingerprint,
		[]byte(strconv.FormatInt(firstUse.UnixMicro(), 10)))
	return "idem-" + hex.EncodeToString(sum[:16])
}

// sealResponse encrypts an answer for the row id (the additional data: a sealed answer moved to another
// row does not open).
func (k keys) sealResponse(rowID []byte, r Response) ([]byte, error) {
	plain, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	nonce := make([]byte, k.seal.NonceSize())
	_, _ = rand.Read(nonce) // crypto/rand.Read never fails
	return k.seal.Seal(nonce, nonce, plain, rowID), nil
}

// errUnreadableResponse is a stored answer that does not open: corrupted, or moved from another row.
var errUnreadableResponse = errors.New("idempotency: stored response does not open")

func (k keys) openResponse(rowID, sealed []byte) (Response, error) {
	size := k.seal.NonceSize()
	if len(sealed) < size {
		return Response{}, errUnreadableResponse
	}
	plain, err := k.seal.Open(nil, sealed[:size], sealed[size:], rowID)
	if err != nil {
		return Response{}, errUnreadableResponse
	}
	var r Response
	if err := json.Unmarshal(plain, &r); err != nil {
		return Response{}, fmt.Errorf("%w: %v", errUnreadableResponse, err)
	}
	return r, nil
}
