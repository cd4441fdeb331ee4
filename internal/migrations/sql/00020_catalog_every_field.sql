-- +goose Up
-- The rest of the fields of spec 3.2 (Site), 3.3 (Plan) and 3.4 (Product) that the catalog accepts and the
-- API serves back. Rows projected before this migration get the value their older events now read as:
-- unset texts '', unset free-form documents the JSON null, and true for the two flags whose default is true
-- (a plan's available_online, a product's active; see the catalog events' upcasters).
ALTER TABLE catalog_sites
    ADD COLUMN google_analytics_id          text NOT NULL DEFAULT '',
    ADD COLUMN klaviyo_api_key              text NOT NULL DEFAULT '',
    ADD COLUMN braintree_tokenization       text NOT NULL DEFAULT '',
    ADD COLUMN braintree_currency           text NOT NULL DEFAULT '',
    ADD COLUMN braintree_gateway_settings   jsonb NOT NULL DEFAULT 'null',
    ADD COLUMN vantiv_gateway_settings      jsonb NOT NULL DEFAULT 'null',
    ADD COLUMN tap_gateway_settings         jsonb NOT NULL DEFAULT 'null',
    ADD COLUMN cybersource_gateway_settings jsonb NOT NULL DEFAULT 'null',
    ADD COLUMN logo                         jsonb NOT NULL DEFAULT 'null',
    ADD COLUMN paywalls                     jsonb NOT NULL DEFAULT 'null',
    ADD COLUMN newsletters                  jsonb NOT NULL DEFAULT 'null',
    ADD COLUMN design_settings              jsonb NOT NULL DEFAULT 'null';

ALTER TABLE catalog_products
    ADD COLUMN active             boolean NOT NULL DEFAULT true,
    ADD COLUMN is_imported        boolean NOT NULL DEFAULT false,
    ADD COLUMN old_provider_id    text NOT NULL DEFAULT '',
    ADD COLUMN import_unique_id   text NOT NULL DEFAULT '',
    ADD COLUMN package_dimensions jsonb NOT NULL DEFAULT 'null';

ALTER TABLE catalog_plans
    ADD COLUMN available_online    boolean NOT NULL DEFAULT true,
    ADD COLUMN is_gift             boolean NOT NULL DEFAULT false,
    ADD COLUMN gift_description    text NOT NULL DEFAULT '',
    ADD COLUMN expires_at          text NOT NULL DEFAULT '',
    ADD COLUMN metadata            jsonb NOT NULL DEFAULT 'null',
    ADD COLUMN group_owner_plan_id bigint NOT NULL DEFAULT 0,
    ADD COLUMN agency_id           bigint NOT NULL DEFAULT 0,
    ADD COLUMN agency_remit_rate   double precision NOT NULL DEFAULT 0,
    ADD COLUMN apple_product_id    text NOT NULL DEFAULT '';

-- +goose Down
ALTER TABLE catalog_plans
    DROP COLUMN available_online, DROP COLUMN is_gift, DROP COLUMN gift_description, DROP COLUMN expires_at,
    DROP COLUMN metadata, DROP COLUMN group_owner_plan_id, DROP COLUMN agency_id, DROP COLUMN agency_remit_rate,
    DROP COLUMN apple_product_id;

ALTER TABLE catalog_products
    DROP COLUMN active, DROP COLUMN is_imported, DROP COLUMN old_provider_id, DROP COLUMN import_unique_id,
    DROP COLUMN package_dimensions;

ALTER TABLE catalog_sites
    DROP COLUMN google_analytics_id, DROP COLUMN klaviyo_api_key, DROP COLUMN braintree_tokenization,
    DROP COLUMN braintree_currency, DROP COLUMN braintree_gateway_settings, DROP COLUMN vantiv_gateway_settings,
    DROP COLUMN tap_gateway_settings, DROP COLUMN cybersource_gateway_settings, DROP COLUMN logo,
    DROP COLUMN paywalls, DROP COLUMN newsletters, DROP COLUMN design_settings;
