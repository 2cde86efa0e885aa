-- Console staff accounts and their sessions (issue 5).

-- name: staff-insert
INSERT INTO staff_users (username, password_hash, role, institution_id, region, failed_logins,
    disabled, created_at, updated_at)
VALUES (?, ?, ?, ?, ?, 0, 0, ?, ?);

-- name: staff-get
SELECT s.id, s.username, s.password_hash, s.role, s.institution_id, s.region, s.failed_logins,
       s.locked_until, s.disabled, s.created_at, s.updated_at, COALESCE(i.name, '') AS institution_name
FROM staff_users s LEFT JOIN institutions i ON i.id = s.institution_id
WHERE s.id = ?;

-- name: staff-get-by-username
SELECT s.id, s.username, s.password_hash, s.role, s.institution_id, s.region, s.failed_logins,
       s.locked_until, s.disabled, s.created_at, s.updated_at, COALESCE(i.name, '') AS institution_name
FROM staff_users s LEFT JOIN institutions i ON i.id = s.institution_id
WHERE s.username = ?;

-- name: staff-list
SELECT s.id, s.username, s.password_hash, s.role, s.institution_id, s.region, s.failed_logins,
       s.locked_until, s.disabled, s.created_at, s.updated_at, COALESCE(i.name, '') AS institution_name
FROM staff_users s LEFT JOIN institutions i ON i.id = s.institution_id
ORDER BY s.id
LIMIT ? OFFSET ?;

-- name: staff-count
SELECT COUNT(*) FROM staff_users;

-- name: staff-login-failed
-- One more failed attempt; lock the account when it reaches the limit. The
-- counter restarts after a lock so the next window starts from zero.
UPDATE staff_users
SET failed_logins = CASE WHEN failed_logins + 1 >= ? THEN 0 ELSE failed_logins + 1 END,
    locked_until  = CASE WHEN failed_logins + 1 >= ? THEN ? ELSE locked_until END,
    updated_at = ?
WHERE id = ?;

-- name: staff-login-ok
UPDATE staff_users SET failed_logins = 0, locked_until = NULL, updated_at = ? WHERE id = ?;

-- name: staff-set-disabled
UPDATE staff_users SET disabled = ?, updated_at = ? WHERE id = ?;

-- name: staff-set-password
UPDATE staff_users SET password_hash = ?, failed_logins = 0, locked_until = NULL, updated_at = ? WHERE id = ?;

-- name: staff-session-insert
INSERT INTO staff_sessions (token_hash, staff_id, ip, created_at, expires_at) VALUES (?, ?, ?, ?, ?);

-- name: staff-session-lookup
-- A session is valid when it exists, is not revoked, has not expired and its
-- account is not disabled.
SELECT s.staff_id FROM staff_sessions s JOIN staff_users u ON u.id = s.staff_id
WHERE s.token_hash = ? AND s.revoked_at IS NULL AND s.expires_at > ? AND u.disabled = 0;

-- name: staff-session-revoke
UPDATE staff_sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL;

-- name: staff-session-revoke-all
UPDATE staff_sessions SET revoked_at = ? WHERE staff_id = ? AND revoked_at IS NULL;

-- name: console-institution-list
SELECT id, name, contact_name, contact_phone, address, created_at, updated_at
FROM institutions ORDER BY id LIMIT ? OFFSET ?;

-- name: console-institution-count
SELECT COUNT(*) FROM institutions;
