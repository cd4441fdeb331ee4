-- +goose Up
-- newsletters.v1: the stream each row comes from, so newsletter.erased (which names no email) finds the row
-- of its entry. Rows written so far come from streams named the old way ("newsletter-" and the hex of the
-- first 16 bytes of the SHA-256 of "<site id>:<email>"); newer entries' streams are named by a keyed hash the
-- projection takes from the event's stream.
ALTER TABLE newsletters ADD COLUMN stream_id text;
UPDATE newsletters SET stream_id = 'newsletter-' ||
    encode(substring(sha256(convert_to(site_id::text || ':' || email, 'UTF8')) FROM 1 FOR 16), 'hex');
ALTER TABLE newsletters ALTER COLUMN stream_id SET NOT NULL;
CREATE INDEX newsletters_stream ON newsletters (stream_id);

-- +goose Down
ALTER TABLE newsletters DROP COLUMN stream_id;
