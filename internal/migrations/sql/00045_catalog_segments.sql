-- +goose Up
-- Customer segments (rule 12): the segments of each site (catalog_segments.v1), the coupons
-- (catalog_coupons.v1, read by GET /customer/coupons), and the segments plans and SKUs are restricted to.
-- An empty segment_ids list means "for everybody"; rows projected before this migration had none.
ALTER TABLE catalog_plans ADD COLUMN segment_ids bigint[] NOT NULL DEFAULT '{}';
ALTER TABLE catalog_skus ADD COLUMN segment_ids bigint[] NOT NULL DEFAULT '{}';

-- The rules are the catalog's SegmentRule list as JSON; queries evaluate them with catalog.InSegment.
CREATE TABLE catalog_segments (
    id       bigint PRIMARY KEY,
    site_id  bigint NOT NULL,
    name     text NOT NULL,
    rules    jsonb NOT NULL,
    revision bigint NOT NULL
);
CREATE INDEX catalog_segments_site ON catalog_segments (site_id);

CREATE TABLE catalog_coupons (
    id                 bigint PRIMARY KEY,
    site_id            bigint NOT NULL,
    code               text NOT NULL,
    name               text NOT NULL,
    percent_off        double precision NOT NULL,
    amount_off         bigint NOT NULL,
    currency           text NOT NULL,
    duration           text NOT NULL,
    duration_in_months bigint NOT NULL,
    plan_ids           bigint[] NOT NULL,
    segment_ids        bigint[] NOT NULL,
    revision           bigint NOT NULL
);
CREATE INDEX catalog_coupons_site ON catalog_coupons (site_id);

-- +goose Down
DROP TABLE catalog_coupons;
DROP TABLE catalog_segments;
ALTER TABLE catalog_skus DROP COLUMN segment_ids;
ALTER TABLE catalog_plans DROP COLUMN segment_ids;
