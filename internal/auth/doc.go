// Package auth is the credential infrastructure of the customer API: password hashing (argon2id), the
// password rules of the site, customer JWTs (HS256), the server secrets they are keyed by, one-time tokens
// for emailed links, and the two pieces of shared state every API instance must agree on, kept in
// PostgreSQL: revoked JWTs (logout) and the login lockout.
//
// Nothing here knows HTTP or the event log. Stored formats are marked in their godoc: the PHC password
// encoding and the one-time token layout live forever in the event log, and the table names are part of
// the schema (internal/migrations/sql/00005_auth.sql); changing any of them breaks existing data.
package auth
