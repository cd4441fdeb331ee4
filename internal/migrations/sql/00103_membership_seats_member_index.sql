-- +goose Up
-- The Customer resource (queries.Customers) reads a member's seats with `member_customer_id = c.id`: a
-- parameter the planner cannot prove non-zero, so the partial index of 00080 (WHERE member_customer_id <> 0)
-- never served it. Without a usable index the plan drove from subscriptions instead, reading every
-- subscription of the account and probing membership_seats for each, on every customer read: with the
-- read-model tables still empty when the server prepared the statement, that plan stayed cached while they
-- filled (≈ 14 ms a read after 2,000 free subscriptions, docs/benchmarks.md). A full index serves the
-- lookup from the first statement on; pending seats (member 0) cost one index entry each.
DROP INDEX membership_seats_member;
CREATE INDEX membership_seats_member ON membership_seats (member_customer_id);

-- +goose Down
DROP INDEX membership_seats_member;
CREATE INDEX membership_seats_member ON membership_seats (member_customer_id) WHERE member_customer_id <> 0;
