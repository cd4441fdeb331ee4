package personaldata

import (
	"context"
	"crypto/aes"
	"crypto/cipher"
	"crypto/hmac"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
)

// MasterKeySize is the size of a master key: AES-256.
const MasterKeySize = 32

// ErrUnknownMasterKey is returned when a stored key was wrapped by a master key the keyring does not hold
// (PELCRO_MASTER_KEY changed without the old key in PELCRO_MASTER_KEY_PREVIOUS, see docs/security.md).
var ErrUnknownMasterKey = errors.New("personaldata: the key was wrapped by a master key this process does not have")

// MasterKey wraps the data keys before they are stored and unwraps them when they are read. It is a port: the
// local implementation (NewMasterKey) holds the key in memory; a KMS adapter would send each call to the KMS
// and never see the key. aad binds a wrapped key to what it is for (its subject and generation), so a
// wrapped key copied to another row does not unwrap.
type MasterKey interface {
	// ID names the key in the rows it wrapped, so a rotation can tell which rows still need rewrapping. It
	// must be stable for a key and must not reveal the key.
	ID() string
	Wrap(ctx context.Context, plaintext, aad []byte) ([]byte, error)
	Unwrap(ctx context.Context, wrapped, aad []byte) ([]byte, error)
}

// localMasterKey is a MasterKey held in memory: AES-256-GCM, a random nonce before each ciphertext.
type localMasterKey struct {
	id   string
	aead cipher.AEAD
}

// NewMasterKey returns the local master key of 32 bytes key.
func NewMasterKey(key []byte) (MasterKey, error) {
	if len(key) != MasterKeySize {
		return nil, fmt.Errorf("personaldata: master key of %d bytes, want %d", len(key), MasterKeySize)
	}
	aead, err := newAEAD(key)
	if err != nil {
		return nil, err
	}
	mac := hmac.New(sha256.New, key)
	mac.Write([]byte("pelcro master key id"))
	return localMasterKey{id: "local:" + hex.EncodeToString(mac.Sum(nil)[:8]), aead: aead}, nil
}

// ParseMasterKey reads a master key as PELCRO_MASTER_KEY gives it: 32 bytes in base64 (standard or URL
// alphabet, padded or not), e.g. the output of `openssl rand -base64 32`.
func ParseMasterKey(encoded string) (MasterKey, error) {
	encoded = strings.TrimSpace(encoded)
	for _, encoding := range []*base64.Encoding{base64.StdEncoding, base64.RawStdEncoding, base64.URLEncoding, base64.RawURLEncoding} {
		if key, err := encoding.DecodeString(encoded); err == nil {
			return NewMasterKey(key)
		}
	}
	return nil, errors.New("personaldata: a master key is 32 bytes in base64 (openssl rand -base64 32)")
}

func (k localMasterKey) ID() string { return k.id }

func (k localMasterKey) Wrap(_ context.Context, plaintext, aad []byte) ([]byte, error) {
	return seal(k.aead, plaintext, aad), nil
}

func (k localMasterKey) Unwrap(_ context.Context, wrapped, aad []byte) ([]byte, error) {
	return open(k.aead, wrapped, aad)
}

// Keyring is the master key that wraps new keys and the older ones that may still have wrapped stored keys.
type Keyring struct {
	current MasterKey
	byID    map[string]MasterKey
}

// NewKeyring returns the keyring wrapping with current and unwrapping with any of the keys.
func NewKeyring(current MasterKey, previous ...MasterKey) *Keyring {
	ring := &Keyring{current: current, byID: map[string]MasterKey{current.ID(): current}}
	for _, k := range previous {
		if _, ok := ring.byID[k.ID()]; !ok {
			ring.byID[k.ID()] = k
		}
	}
	return ring
}

// CurrentID is the id of the master key wrapping new keys.
func (r *Keyring) CurrentID() string { return r.current.ID() }

// wrap wraps plaintext with the current master key and returns the key's id with it.
func (r *Keyring) wrap(ctx context.Context, plaintext, aad []byte) ([]byte, string, error) {
	wrapped, err := r.current.Wrap(ctx, plaintext, aad)
	if err != nil {
		return nil, "", fmt.Errorf("personaldata: wrap with master key %s: %w", r.current.ID(), err)
	}
	return wrapped, r.current.ID(), nil
}

// unwrap unwraps with the master key named id.
func (r *Keyring) unwrap(ctx context.Context, id string, wrapped, aad []byte) ([]byte, error) {
	k, ok := r.byID[id]
	if !ok {
		return nil, fmt.Errorf("%w (%s)", ErrUnknownMasterKey, id)
	}
	plaintext, err := k.Unwrap(ctx, wrapped, aad)
	if err != nil {
		return nil, fmt.Errorf("personaldata: unwrap with master key %s: %w", id, err)
	}
	return plaintext, nil
}

// newAEAD is AES-GCM under key.
func newAEAD(key []byte) (cipher.AEAD, error) {
	block, err := aes.NewCipher(key)
	if err != nil {
		return nil, fmt.Errorf("personaldata: %w", err)
	}
	return cipher.NewGCM(block)
}

// seal encrypts plaintext under a fresh random nonce and returns nonce ‖ ciphertext.
func seal(aead cipher.AEAD, plaintext, aad []byte) []byte {
	nonce := make([]byte, aead.NonceSize(), aead.NonceSize()+len(plaintext)+aead.Overhead())
	_, _ = rand.Read(nonce) // crypto/rand.Read never fails (it crashes the program instead)
	return aead.Seal(nonce, nonce, plaintext, aad)
}

// open reverses seal; it fails for a wrong key, a wrong aad or altered bytes.
func open(aead cipher.AEAD, sealed, aad []byte) ([]byte, error) {
	if len(sealed) < aead.NonceSize()+aead.Overhead() {
		return nil, errors.New("personaldata: sealed value too short")
	}
	plaintext, err := aead.Open(nil, sealed[:aead.NonceSize()], sealed[aead.NonceSize():], aad)
	if err != nil {
		return nil, fmt.Errorf("personaldata: %w", err)
	}
	return plaintext, nil
}
