-- name: staff-job-insert
INSERT INTO staff_jobs (kind, plan_id, staff_id, status, total, done, refused, error, created_at, updated_at)
VALUES (?, ?, ?, 'running', ?, 0, ?, '', ?, ?);

-- name: staff-job-progress
UPDATE staff_jobs SET done = ?, updated_at = ? WHERE id = ?;

-- name: staff-job-finish
UPDATE staff_jobs SET status = ?, done = ?, error = ?, updated_at = ?, finished_at = ? WHERE id = ?;

-- name: staff-job-get
SELECT id, kind, plan_id, staff_id, status, total, done, refused, error, created_at, updated_at, finished_at
FROM staff_jobs WHERE id = ?;
