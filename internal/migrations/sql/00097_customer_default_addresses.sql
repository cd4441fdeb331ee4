-- +goose Up
-- customers.v1 (projections/customer) reads and clears a customer's default addresses whenever an address
-- becomes a default: this index finds them among however many addresses the customer has, where
-- customer_addresses_customer made every such write read all of them.
CREATE INDEX customer_addresses_default ON customer_addresses (customer_id, type) WHERE is_default;

-- +goose Down
DROP INDEX customer_addresses_default;
