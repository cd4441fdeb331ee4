-- +goose Up
-- The catalog's commerce settings the subscription commands and the price preview read
-- (projections/catalog, catalog_commerce.v1): account policies and tax rates, coupons by code, and whether
-- a plan may be paid by invoice. Rows projected before this migration had no send_invoice_enabled: false,
-- the field's default.
ALTER TABLE catalog_plans ADD COLUMN send_invoice_enabled boolean NOT NULL DEFAULT false;

CREATE INDEX catalog_coupons_code ON catalog_coupons (site_id, code);

-- An empty dunning_retry_days or dunning_final_status means the default (queries read it so).
CREATE TABLE catalog_accounts (
    id                             bigint PRIMARY KEY,
    name                           text NOT NULL,
    immediate_cancellation_enabled boolean NOT NULL,
    dunning_retry_days             bigint[] NOT NULL,
    dunning_final_status           text NOT NULL,
    revision                       bigint NOT NULL
);

-- One rate per site, country and state ('' for the whole country): the tax rate's stream key.
CREATE TABLE catalog_tax_rates (
    site_id    bigint NOT NULL,
    country    text NOT NULL,
    state      text NOT NULL,
    name       text NOT NULL,
    percentage double precision NOT NULL,
    inclusive  boolean NOT NULL,
    revision   bigint NOT NULL,
    PRIMARY KEY (site_id, country, state)
);

-- +goose Down
DROP TABLE catalog_tax_rates;
DROP TABLE catalog_accounts;
DROP INDEX catalog_coupons_code;
ALTER TABLE catalog_plans DROP COLUMN send_invoice_enabled;
