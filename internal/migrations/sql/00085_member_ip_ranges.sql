-- +goose Up
-- member_ip_ranges.v1 (projections/memberip): the IP ranges of the membership subscriptions that grant
-- access now, for GET /members/ip/authorization (spec #24), which asks which ranges contain one address.
--
-- member_ip_subscriptions has a row per membership subscription that lists IP addresses: its site, where it
-- stands (status, and whether that status grants access) and its ranges as written at creation, masked, as
-- cidr. `revision` is the revision of the subscription's stream (subscription-<id>) the row reflects; every
-- write is guarded by it, so a redelivered event changes nothing.
--
-- member_ip_ranges holds one row per range of the subscriptions that grant access (running), and none for
-- the others: an ended subscription's ranges leave the index, and come back if its status does (an unpaid
-- subscription paid again). The GiST index with inet_ops answers `ip_range >>= address` by walking the
-- tree of ranges, not by scanning them, so the check costs the same with 1,000 or 100,000 memberships.
-- No serial columns and no foreign keys: projections.Rebuild swaps these tables.
CREATE TABLE member_ip_subscriptions (
    subscription_id bigint PRIMARY KEY,
    site_id         bigint NOT NULL,
    status          text NOT NULL,
    ended_at        timestamptz,
    running         boolean NOT NULL,
    ip_ranges       cidr[] NOT NULL,
    revision        bigint NOT NULL
);

CREATE TABLE member_ip_ranges (
    subscription_id bigint NOT NULL,
    site_id         bigint NOT NULL,
    ip_range        cidr NOT NULL,
    PRIMARY KEY (subscription_id, ip_range)
);
CREATE INDEX member_ip_ranges_containment ON member_ip_ranges USING gist (ip_range inet_ops);

-- +goose Down
DROP TABLE member_ip_ranges;
DROP TABLE member_ip_subscriptions;
