-- +goose Up
-- membership_seats.v1 (projections/membership): one row per seat of a membership subscription (spec 2.5
-- #35–#37, 3.10), read for the seat list, the member's Customer resource (`memberships`,
-- `expired_memberships`) and the claim of pending seats when an invitee signs in. A removed seat keeps its
-- row with removed_at set (a soft delete). `email` is personal data: blanked when the owner's subscription
-- is erased or the member is. `revision` is the revision of subscription-<id> the row reflects; every write
-- is guarded by it, so a redelivered event changes nothing. No serial columns and no foreign keys:
-- projections.Rebuild swaps this table.
CREATE TABLE membership_seats (
    subscription_id    bigint NOT NULL,
    member_id          bigint NOT NULL,
    site_id            bigint NOT NULL,
    owner_id           bigint NOT NULL,
    email              text NOT NULL,
    -- 'pending' until the invitee claims the seat, then 'active'.
    status             text NOT NULL,
    -- The customer who claimed the seat; 0 while pending.
    member_customer_id bigint NOT NULL,
    invited_at         timestamptz NOT NULL,
    activated_at       timestamptz,
    removed_at         timestamptz,
    revision           bigint NOT NULL,
    PRIMARY KEY (subscription_id, member_id)
);
-- The claim looks pending seats up by site and address; the Customer resource by member.
CREATE INDEX membership_seats_pending ON membership_seats (site_id, email) WHERE status = 'pending' AND removed_at IS NULL;
CREATE INDEX membership_seats_member ON membership_seats (member_customer_id) WHERE member_customer_id <> 0;

-- +goose Down
DROP TABLE membership_seats;
