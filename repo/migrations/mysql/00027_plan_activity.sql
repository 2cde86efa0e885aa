-- +goose Up
-- The console's 最近有动态 order (issue 26 item 2): a plan's latest activity,
-- the later of its own update and its registrations' latest change, kept by
-- the plan writes, the seat take/free and core's registration status changes,
-- so the order pages by key on an index instead of computing a key per plan
-- and sorting them all.
ALTER TABLE plans ADD COLUMN activity_at DATETIME(6) NOT NULL DEFAULT '1970-01-01 00:00:00';
UPDATE plans SET activity_at = COALESCE(
    (SELECT MAX(r.updated_at) FROM registrations r WHERE r.plan_id = plans.id AND r.updated_at > plans.updated_at),
    plans.updated_at);
ALTER TABLE plans ADD INDEX plans_activity (activity_at, id),
    ADD INDEX plans_inst_activity (institution_id, activity_at, id);

-- +goose Down
ALTER TABLE plans DROP INDEX plans_inst_activity, DROP INDEX plans_activity, DROP COLUMN activity_at;
