package sandbox

import (
	"crypto/sha256"
	"encoding/hex"
	"strconv"
)

// objectID names what a request created after the request's idempotency key, so a retried request names the
// same card, charge or intent: prefix follows Stripe's (pm_, pi_, seti_, re_), kind keeps the ids of one key
// apart.
func objectID(prefix, kind, idempotencyKey string) string {
	sum := sha256.Sum256([]byte(kind + "\x00" + idempotencyKey))
	return prefix + hex.EncodeToString(sum[:12])
}

// customerID names our customer at the sandbox. It derives from our id alone, so two first cards saved at
// once for one customer land under one gateway customer.
func customerID(ours int64) string {
	return objectID("cus_", "customer", strconv.FormatInt(ours, 10))
}

// clientSecret is what a front end completes an intent with.
func clientSecret(intentID string) string {
	return intentID + "_secret_" + objectID("", "client secret", intentID)
}

// fingerprint digests what makes a request this request: the same key sent with another digest is refused.
func fingerprint(parts ...string) []byte {
	h := sha256.New()
	for _, p := range parts {
		h.Write([]byte(strconv.Itoa(len(p))))
		h.Write([]byte{':'})
		h.Write([]byte(p))
	}
	return h.Sum(nil)
}
