-- +goose Up
-- Catalog read models (projections/catalog). Every row carries `revision`, the revision of its entity's
-- stream it reflects (a plan: of its product's stream, a SKU: of its e-commerce product's stream); writes
-- are guarded by it, so applying an event a row already reflects changes nothing. No foreign keys and no
-- serial columns: projections.Rebuild swaps these tables one by one.

-- catalog_sites.v1: one row per site (spec 3.2), with its account and the language of its default locale.
CREATE TABLE catalog_sites (
    id                                   bigint PRIMARY KEY,
    account_id                           bigint NOT NULL,
    name                                 text NOT NULL,
    slug                                 text NOT NULL,
    link                                 text NOT NULL,
    default_currency                     text NOT NULL,
    default_locale                       text NOT NULL,
    default_language                     text NOT NULL,
    security_key                         text NOT NULL,
    passwordless_enabled                 boolean NOT NULL,
    passwordless_token_duration          bigint NOT NULL,
    email_verify_enabled                 boolean NOT NULL,
    ecommerce_enabled                    boolean NOT NULL,
    taxes_enabled                        boolean NOT NULL,
    tax_inclusive                        boolean NOT NULL,
    auth_token_ttl_days                  bigint NOT NULL,
    strong_password_enforcement          boolean NOT NULL,
    restrictive_paywall_metatags_enabled boolean NOT NULL,
    revision                             bigint NOT NULL
);

-- catalog_plans.v1: subscription products (spec 3.4) and their plans (spec 3.3).
CREATE TABLE catalog_products (
    id                   bigint PRIMARY KEY,
    site_id              bigint NOT NULL,
    name                 text NOT NULL,
    name_internal        text NOT NULL,
    description          text NOT NULL,
    address_required     boolean NOT NULL,
    countries            text[] NOT NULL,
    is_hidden            boolean NOT NULL,
    shippable            boolean NOT NULL,
    image                text NOT NULL,
    unit_label           text NOT NULL,
    statement_descriptor text NOT NULL,
    language             text NOT NULL,
    revision             bigint NOT NULL
);
CREATE INDEX catalog_products_site ON catalog_products (site_id);

CREATE TABLE catalog_plans (
    id                   bigint PRIMARY KEY,
    product_id           bigint NOT NULL,
    site_id              bigint NOT NULL,
    active               boolean NOT NULL,
    nickname             text NOT NULL,
    name_internal        text NOT NULL,
    description          text NOT NULL,
    type                 text NOT NULL,
    amount               bigint NOT NULL,
    currency             text NOT NULL,
    interval             text NOT NULL,
    interval_count       bigint NOT NULL,
    auto_renew           boolean NOT NULL,
    countries            text[] NOT NULL,
    domains              text[] NOT NULL,
    ip_addresses         text[] NOT NULL,
    member_seat_capacity bigint NOT NULL,
    entitlements         text[] NOT NULL,
    image                text NOT NULL,
    revision             bigint NOT NULL
);
CREATE INDEX catalog_plans_product ON catalog_plans (product_id);

-- Rules 13 and 14: the domain patterns and IP ranges of the plans that grant free access, i.e. only of
-- active plans with amount 0. A pattern "*.example.edu" is stored as domain "example.edu", wildcard true.
CREATE TABLE catalog_plan_domains (
    plan_id  bigint NOT NULL,
    site_id  bigint NOT NULL,
    domain   text NOT NULL,
    wildcard boolean NOT NULL,
    PRIMARY KEY (plan_id, domain, wildcard)
);
CREATE INDEX catalog_plan_domains_site ON catalog_plan_domains (site_id, domain);

CREATE TABLE catalog_plan_ip_ranges (
    plan_id  bigint NOT NULL,
    site_id  bigint NOT NULL,
    ip_range cidr NOT NULL,
    PRIMARY KEY (plan_id, ip_range)
);
CREATE INDEX catalog_plan_ip_ranges_site ON catalog_plan_ip_ranges (site_id);

-- catalog_ecommerce.v1: e-commerce products (spec 3.4, 2.10) and their SKUs.
CREATE TABLE catalog_ecommerce_products (
    id          bigint PRIMARY KEY,
    site_id     bigint NOT NULL,
    name        text NOT NULL,
    caption     text NOT NULL,
    description text NOT NULL,
    shippable   boolean NOT NULL,
    countries   text[] NOT NULL,
    image       text NOT NULL,
    revision    bigint NOT NULL
);
CREATE INDEX catalog_ecommerce_products_site ON catalog_ecommerce_products (site_id);

CREATE TABLE catalog_skus (
    id                   bigint PRIMARY KEY,
    ecommerce_product_id bigint NOT NULL,
    site_id              bigint NOT NULL,
    name                 text NOT NULL,
    price                bigint NOT NULL,
    currency             text NOT NULL,
    inventory            bigint NOT NULL,
    revision             bigint NOT NULL
);
CREATE INDEX catalog_skus_product ON catalog_skus (ecommerce_product_id);

-- +goose Down
DROP TABLE catalog_skus;
DROP TABLE catalog_ecommerce_products;
DROP TABLE catalog_plan_ip_ranges;
DROP TABLE catalog_plan_domains;
DROP TABLE catalog_plans;
DROP TABLE catalog_products;
DROP TABLE catalog_sites;
