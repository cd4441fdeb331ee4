-- +goose Up
-- customer_streams.v1 (projections/customerstreams): which streams hold a customer's history, so the
-- operator's audit timeline reads those streams only and never scans the whole log. Every table is a set:
-- a row is inserted with ON CONFLICT DO NOTHING, so a redelivered event changes nothing.
--
-- customer_streams: one row per (customer, stream): customer-<id>, customer_signins-<id>, wallet-<id>,
-- invoice-<id>, and the newsletter entries of an email the customer had on their site.
CREATE TABLE customer_streams (
    customer_id bigint NOT NULL,
    stream      text NOT NULL,
    PRIMARY KEY (customer_id, stream)
);
CREATE INDEX customer_streams_stream ON customer_streams (stream);

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
DROP TABLE customer_streams;
