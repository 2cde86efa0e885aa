-- +goose Up
-- A registration's version (issue 19 item 1, issue 26); see
-- sqlite/00033_registration_version.sql.
ALTER TABLE registrations ADD COLUMN version BIGINT NOT NULL DEFAULT 0;

-- +goose Down
ALTER TABLE registrations DROP COLUMN version;
