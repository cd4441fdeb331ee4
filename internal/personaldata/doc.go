// Package personaldata makes personal data erasable in an append-only event log (crypto-shredding). Each
// data subject (a customer stream, a newsletter entry stream) gets a data key; the fields of its events that
// the aggregates tag personal are sealed under that key (AES-256-GCM) as they are appended, and opened as
// they are read, by Store, a decorator of any eventstore.Store. The keys live in PostgreSQL wrapped by a
// master key (a MasterKey port, so a KMS can hold it later). Erasing a subject deletes its keys: its sealed
// values can never be read again, from the log or any copy of it, and read as JSON null from then on. A
// field holding someone else's data than the stream's subject may be sealed under a part of that subject,
// erased alone or with it (parts.go).
//
// The package also keeps the stream naming secret that keys the hashes commands use to name streams after
// emails (NamingSecret), and rewraps every stored key when the master key is rotated (Keys.Rewrap).
//
// docs/security.md states what this protects and what it does not.
package personaldata
