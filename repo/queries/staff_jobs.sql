-- name: staff-job-insert
INSERT INTO staff_jobs (kind, plan_id, staff_id, status, total, done, refused, error, created_at, updated_at, lock_key)
VALUES (?, ?, ?, 'running', ?, 0, ?, '', ?, ?, ?);

-- name: staff-job-release-stale
UPDATE staff_jobs SET lock_key = NULL WHERE lock_key = ? AND updated_at < ?;

-- name: staff-job-holding
SELECT id FROM staff_jobs WHERE lock_key = ?;

-- name: staff-job-progress
UPDATE staff_jobs SET done = ?, updated_at = ? WHERE id = ?;

-- name: staff-job-finish
UPDATE staff_jobs SET status = ?, done = ?, error = ?, updated_at = ?, finished_at = ?, lock_key = NULL WHERE id = ?;

-- name: staff-job-get
SELECT id, kind, plan_id, staff_id, status, total, done, refused, error, created_at, updated_at, finished_at
FROM staff_jobs WHERE id = ?;
