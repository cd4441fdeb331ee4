-- +goose Up
-- catalog_sites.v1: the identity providers customers may sign in with (spec 3.2 integration ids, POST
-- /auth/idp/login). Nullable: rows projected before this migration hold NULL, rows projected since hold
-- the event's value, '' meaning unset; queries read both as unset (null in GET /site).
ALTER TABLE catalog_sites
    ADD COLUMN google_app_id         text,
    ADD COLUMN google_app_id_ios     text,
    ADD COLUMN google_app_id_android text,
    ADD COLUMN facebook_app_id       text,
    ADD COLUMN auth0_base_url        text,
    ADD COLUMN auth0_client_id       text;

-- +goose Down
ALTER TABLE catalog_sites
    DROP COLUMN google_app_id,
    DROP COLUMN google_app_id_ios,
    DROP COLUMN google_app_id_android,
    DROP COLUMN facebook_app_id,
    DROP COLUMN auth0_base_url,
    DROP COLUMN auth0_client_id;
