-- +goose Up
-- stock_levels.v1 (projections/stock): one row per limited SKU whose stock stream (stock-<sku id>) holds an
-- event, counting the units sold and the units held by orders not settled yet, so the e-commerce product
-- list can show what an order could take now (queries.SKU.Available) without reading the log. `revision`
-- is the revision of stock-<sku id> the row reflects, so a redelivered event changes nothing.
-- No serial columns and no foreign keys: projections.Rebuild swaps this table.
CREATE TABLE stock_levels (
    sku_id   bigint PRIMARY KEY,
    sold     bigint NOT NULL,
    held     bigint NOT NULL,
    revision bigint NOT NULL
);

-- +goose Down
DROP TABLE stock_levels;
