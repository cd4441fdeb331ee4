-- +goose Up
-- customers.v1 (projections/customer): one row per registered customer and one per address, read by
-- queries.Customers to build the Customer resource (spec 3.1, 3.8). `revision` is the revision of the
-- customer's stream (customer-<id>) the row reflects; every write is guarded by it, so a redelivered event
-- changes nothing. No serial columns and no foreign keys: projections.Rebuild swaps these tables.
-- Empty text means "not set": the query answers null for it.
CREATE TABLE customers (
    id                       bigint PRIMARY KEY,
    account_id               bigint NOT NULL,
    site_id                  bigint NOT NULL,
    email                    text NOT NULL,
    email_confirm            boolean NOT NULL,
    email_hardbounce         boolean NOT NULL,
    username                 text NOT NULL,
    has_password             boolean NOT NULL,
    password_last_updated_at timestamptz,
    first_name               text NOT NULL,
    last_name                text NOT NULL,
    display_name             text NOT NULL,
    phone                    text NOT NULL,
    salutation               text NOT NULL,
    title                    text NOT NULL,
    organization             text NOT NULL,
    old_provider_id          text NOT NULL,
    language                 text NOT NULL,
    metadata                 jsonb NOT NULL,
    -- The profile photo's file name in the media directory ('' when none); transport makes it a URL.
    profile_photo            text NOT NULL,
    last_login_method        text NOT NULL,
    last_login_at            timestamptz,
    created_at               timestamptz NOT NULL,
    updated_at               timestamptz NOT NULL,
    revision                 bigint NOT NULL
);
CREATE INDEX customers_account_email ON customers (account_id, email);

-- A customer's addresses; `revision` is the revision of the customer's stream that last changed the row
-- (an address event, or another address of its type becoming the default).
CREATE TABLE customer_addresses (
    id           bigint PRIMARY KEY,
    customer_id  bigint NOT NULL,
    type         text NOT NULL,
    first_name   text NOT NULL,
    last_name    text NOT NULL,
    title        text NOT NULL,
    salutation   text NOT NULL,
    company      text NOT NULL,
    department   text NOT NULL,
    line1        text NOT NULL,
    line2        text NOT NULL,
    city         text NOT NULL,
    state        text NOT NULL,
    postal_code  text NOT NULL,
    country      text NOT NULL,
    phone        text NOT NULL,
    is_default   boolean NOT NULL,
    created_at   timestamptz NOT NULL,
    updated_at   timestamptz NOT NULL,
    revision     bigint NOT NULL
);
CREATE INDEX customer_addresses_customer ON customer_addresses (customer_id, id);

-- +goose Down
DROP TABLE customer_addresses;
DROP TABLE customers;
