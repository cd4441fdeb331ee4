-- +goose Up
-- customer_streams.v1 (projections/customerstreams): which streams hold a customer's history, so the
-- operator's audit timeline reads those streams only and never scans the whole log. Every write is
-- idempotent (ON CONFLICT DO NOTHING, or a position that only moves forwards), so a redelivered event
-- changes nothing.
--
-- customer_streams: one row per (customer, stream): customer-<id>, customer_signins-<id>, wallet-<id>,
-- invoice-<id>, and the newsletter entries of an email the customer had on their site.
CREATE TABLE customer_streams (
    customer_id bigint NOT NULL,
    stream      text NOT NULL,
    PRIMARY KEY (customer_id, stream)
);
CREATE INDEX customer_streams_stream ON customer_streams (stream);

-- customer_stream_positions: the positions of the first and the last event of every stream of those kinds
-- (numeric(20,0), as positions are unsigned 64-bit numbers), so a timeline page reads only the streams whose
-- events can be on it, newest first, instead of every stream of the customer.
CREATE TABLE customer_stream_positions (
    stream        text PRIMARY KEY,
    first_commit  numeric(20,0) NOT NULL,
    first_prepare numeric(20,0) NOT NULL,
    last_commit   numeric(20,0) NOT NULL,
    last_prepare  numeric(20,0) NOT NULL
);

-- customer_stream_owners: the site of every customer, to match newsletter entries (kept per site).
CREATE TABLE customer_stream_owners (
    customer_id bigint PRIMARY KEY,
    site_id     bigint NOT NULL
);

-- customer_stream_emails: every email (trimmed, lower case) a customer had; deleted when the customer is
-- erased. newsletter_stream_emails: the email of every newsletter entry stream; deleted when it is erased.
CREATE TABLE customer_stream_emails (
    customer_id bigint NOT NULL,
    email       text NOT NULL,
    PRIMARY KEY (customer_id, email)
);
CREATE INDEX customer_stream_emails_email ON customer_stream_emails (email);
CREATE TABLE newsletter_stream_emails (
    site_id bigint NOT NULL,
    email   text NOT NULL,
    stream  text NOT NULL,
    PRIMARY KEY (site_id, email, stream)
);
CREATE INDEX newsletter_stream_emails_stream ON newsletter_stream_emails (stream);

-- +goose Down
DROP TABLE newsletter_stream_emails;
DROP TABLE customer_stream_emails;
DROP TABLE customer_stream_owners;
DROP TABLE customer_stream_positions;
DROP TABLE customer_streams;
