-- +goose Up
-- What refunds gave back of each charge (invoice.Refunded), shown as the charge's amount_refunded. Rows of
-- charges refunded before this column existed read 0 until `pelcro projections rebuild invoices.v1`.
ALTER TABLE invoice_charges ADD COLUMN amount_refunded bigint NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE invoice_charges DROP COLUMN amount_refunded;
