-- +goose Up
-- One running results import per plan (issue 26): a running job holds its
-- lock key (kind and plan), released when it finishes or when it is found
-- stale; the unique index refuses a second one, on every replica.
ALTER TABLE staff_jobs ADD COLUMN lock_key VARCHAR(64) NULL, ADD UNIQUE INDEX staff_jobs_lock (lock_key);

-- +goose Down
ALTER TABLE staff_jobs DROP INDEX staff_jobs_lock, DROP COLUMN lock_key;
