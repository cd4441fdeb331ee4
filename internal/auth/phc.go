package auth

import (
	"encoding/base64"
	"errors"
	"fmt"
	"strconv"
	"strings"

	"golang.org/x/crypto/argon2"
)

// Params are the argon2id cost parameters of one password hash. They travel inside every encoded hash, so
// raising them later only changes new hashes; NeedsRehash tells which stored ones are older.
type Params struct {
	MemoryKiB uint32 // m: memory in KiB
	Time      uint32 // t: passes over the memory
	Threads   uint8  // p: lanes
	SaltLen   int    // bytes of random salt
	KeyLen    int    // bytes of derived key
}

// DefaultParams is OWASP's first recommended argon2id configuration (m=19 MiB, t=2, p=1) with a 16-byte
// salt and a 32-byte key. Why not more: the API runs on small machines with every concurrent login holding
// its own 19 MiB (Hasher bounds that to one per CPU), and a login must stay well under a second. Raise them
// here when the hardware allows; old hashes keep verifying and NeedsRehash reports them.
func DefaultParams() Params {
	return Params{MemoryKiB: 19 * 1024, Time: 2, Threads: 1, SaltLen: 16, KeyLen: 32}
}

// Bounds a decoded hash must respect. They keep a corrupt or hostile encoding from making Verify allocate
// gigabytes or loop for minutes; they are far above any cost we would choose.
const (
	maxMemoryKiB = 256 * 1024
	maxTime      = 16
	maxThreads   = 16
	minSaltLen   = 8
	maxSaltLen   = 64
	minKeyLen    = 16
	maxKeyLen    = 64
)

// ErrHashMalformed is returned for a stored password hash that is not a canonical argon2id PHC string
// within our bounds.
var ErrHashMalformed = errors.New("auth: malformed password hash")

// phcPrefix starts every hash. Stored format: events carry these strings, never change it.
const phcPrefix = "$argon2id$v=19$"

var b64 = base64.RawStdEncoding.Strict()

// validate checks p against the decoder's bounds, so NewHasher cannot produce a hash Verify would refuse.
func (p Params) validate() error {
	switch {
	case p.Threads < 1 || p.Threads > maxThreads:
		return fmt.Errorf("%w: threads %d", ErrHashMalformed, p.Threads)
	case p.Time < 1 || p.Time > maxTime:
		return fmt.Errorf("%w: time %d", ErrHashMalformed, p.Time)
	case p.MemoryKiB < 8*uint32(p.Threads) || p.MemoryKiB > maxMemoryKiB:
		return fmt.Errorf("%w: memory %d KiB", ErrHashMalformed, p.MemoryKiB)
	case p.SaltLen < minSaltLen || p.SaltLen > maxSaltLen:
		return fmt.Errorf("%w: salt length %d", ErrHashMalformed, p.SaltLen)
	case p.KeyLen < minKeyLen || p.KeyLen > maxKeyLen:
		return fmt.Errorf("%w: key length %d", ErrHashMalformed, p.KeyLen)
	}
	return nil
}

// passwordHash is one decoded PHC string.
type passwordHash struct {
	params Params
	salt   []byte
	key    []byte
}

// derive runs argon2id with p over password and salt.
func derive(password string, salt []byte, p Params) []byte {
	return argon2.IDKey([]byte(password), salt, p.Time, p.MemoryKiB, p.Threads, uint32(p.KeyLen))
}

// encode renders h as `$argon2id$v=19$m=<KiB>,t=<n>,p=<n>$<salt>$<key>` (unpadded standard base64, as the
// PHC string format and the argon2 reference implementation write it).
func (h passwordHash) encode() string {
	return fmt.Sprintf("%sm=%d,t=%d,p=%d$%s$%s", phcPrefix, h.params.MemoryKiB, h.params.Time, h.params.Threads,
		b64.EncodeToString(h.salt), b64.EncodeToString(h.key))
}

// decodeHash parses an encoded hash. It accepts only the canonical form encode writes (so encode(decode(s))
// == s), and never panics, whatever s holds.
func decodeHash(s string) (passwordHash, error) {
	rest, ok := strings.CutPrefix(s, phcPrefix)
	if !ok {
		return passwordHash{}, fmt.Errorf("%w: not argon2id v19", ErrHashMalformed)
	}
	parts := strings.Split(rest, "$")
	if len(parts) != 3 {
		return passwordHash{}, fmt.Errorf("%w: want params$salt$key", ErrHashMalformed)
	}
	var h passwordHash
	var err error
	if h.params, err = decodeParams(parts[0]); err != nil {
		return passwordHash{}, err
	}
	if h.salt, err = decodeBase64(parts[1]); err != nil {
		return passwordHash{}, fmt.Errorf("%w: salt: %v", ErrHashMalformed, err)
	}
	if h.key, err = decodeBase64(parts[2]); err != nil {
		return passwordHash{}, fmt.Errorf("%w: key: %v", ErrHashMalformed, err)
	}
	h.params.SaltLen, h.params.KeyLen = len(h.salt), len(h.key)
	if err := h.params.validate(); err != nil {
		return passwordHash{}, err
	}
	return h, nil
}

// decodeParams parses "m=<n>,t=<n>,p=<n>" in that order, numbers in canonical decimal.
func decodeParams(s string) (Params, error) {
	fields := strings.Split(s, ",")
	if len(fields) != 3 {
		return Params{}, fmt.Errorf("%w: want m,t,p", ErrHashMalformed)
	}
	var values [3]uint64
	for i, name := range []string{"m=", "t=", "p="} {
		digits, ok := strings.CutPrefix(fields[i], name)
		if !ok {
			return Params{}, fmt.Errorf("%w: want %s", ErrHashMalformed, name)
		}
		n, err := strconv.ParseUint(digits, 10, 32)
		if err != nil || strconv.FormatUint(n, 10) != digits {
			return Params{}, fmt.Errorf("%w: %s%q", ErrHashMalformed, name, digits)
		}
		values[i] = n
	}
	if values[2] > maxThreads {
		return Params{}, fmt.Errorf("%w: threads %d", ErrHashMalformed, values[2])
	}
	return Params{MemoryKiB: uint32(values[0]), Time: uint32(values[1]), Threads: uint8(values[2])}, nil
}

// decodeBase64 decodes unpadded standard base64 and refuses what the decoder would tolerate but encode
// never writes (line breaks).
func decodeBase64(s string) ([]byte, error) {
	b, err := b64.DecodeString(s)
	if err == nil && b64.EncodeToString(b) != s {
		err = errors.New("not canonical base64")
	}
	return b, err
}
