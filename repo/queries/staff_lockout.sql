-- Console sign-in failures per (account, client address) (issue 14). The
-- counting upsert is per dialect (staff_lockout.mysql.sql, staff_lockout.sqlite.sql).

-- name: staff-ip-failures-get
SELECT failures, locked_until FROM staff_login_failures WHERE staff_id = ? AND ip = ?;

-- name: staff-ip-lock
UPDATE staff_login_failures SET locked_until = ? WHERE staff_id = ? AND ip = ?;

-- name: staff-ip-clear
DELETE FROM staff_login_failures WHERE staff_id = ? AND ip = ?;

-- name: staff-ip-clear-all
DELETE FROM staff_login_failures WHERE staff_id = ?;

-- name: staff-ip-prune
DELETE FROM staff_login_failures WHERE updated_at < ? AND (locked_until IS NULL OR locked_until < ?);

-- name: staff-unlock
UPDATE staff_users SET failed_logins = 0, locked_until = NULL, updated_at = ? WHERE id = ?;
