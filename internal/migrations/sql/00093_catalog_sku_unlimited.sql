-- +goose Up
-- catalog_ecommerce.v1 (projections/catalog): a SKU whose catalog entry gives no inventory sells without
-- limit; its inventory is NULL. SKUs projected before keep the number they had.
ALTER TABLE catalog_skus ALTER COLUMN inventory DROP NOT NULL;

-- +goose Down
UPDATE catalog_skus SET inventory = 0 WHERE inventory IS NULL;
ALTER TABLE catalog_skus ALTER COLUMN inventory SET NOT NULL;
