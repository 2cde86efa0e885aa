-- +goose Up
-- One running results import per plan (issue 26): a running job holds its
-- lock key (kind and plan), released when it finishes or when it is found
-- stale; the unique index refuses a second one, on every replica.
ALTER TABLE staff_jobs ADD COLUMN lock_key TEXT NULL;
CREATE UNIQUE INDEX IF NOT EXISTS staff_jobs_lock ON staff_jobs (lock_key);

-- +goose Down
DROP INDEX IF EXISTS staff_jobs_lock;
ALTER TABLE staff_jobs DROP COLUMN lock_key;
