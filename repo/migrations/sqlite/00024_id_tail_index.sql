-- +goose Up
-- The ID-digit search of a plan's registrations (issue 26 item 3): a keyed hash
-- of the ID number's last four characters, so "002X" is an index lookup and a
-- longer part of the number opens only the rows sharing its last four. NULL until
-- the row is written again or the start-up backfill reaches it.
ALTER TABLE registrations ADD COLUMN id_tail_idx CHAR(64) NULL;
CREATE INDEX IF NOT EXISTS registrations_plan_tail ON registrations (plan_id, id_tail_idx, submitted_at, id);
-- The results page and the reviewer's list read one page in submission order.
CREATE INDEX IF NOT EXISTS registrations_plan_submitted ON registrations (plan_id, submitted_at, id);

-- +goose Down
DROP INDEX IF EXISTS registrations_plan_submitted;
DROP INDEX IF EXISTS registrations_plan_tail;
ALTER TABLE registrations DROP COLUMN id_tail_idx;
