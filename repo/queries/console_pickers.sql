-- Console pickers and staff password flows (issue 15): occupations admins add,
-- a plan's 业务监管地 set by an admin, password resets that must be changed.

-- name: plan-occupation-list
SELECT name FROM plan_occupations ORDER BY created_at, name;

-- name: plan-occupation-insert
INSERT INTO plan_occupations (name, created_by, created_at) VALUES (?, ?, ?);

-- name: plan-set-region
UPDATE plans SET supervision_region = ?, updated_at = ?,
    activity_at = CASE WHEN activity_at < ? THEN ? ELSE activity_at END
WHERE id = ?;

-- name: staff-reset-insert
INSERT INTO staff_password_resets (staff_id, reset_by, created_at) VALUES (?, ?, ?);

-- name: staff-reset-delete
DELETE FROM staff_password_resets WHERE staff_id = ?;

-- name: staff-reset-get
SELECT COUNT(*) FROM staff_password_resets WHERE staff_id = ?;

-- name: staff-reset-list
SELECT staff_id FROM staff_password_resets;

-- name: staff-session-revoke-others
-- A password change ends every session but the one it was made from.
UPDATE staff_sessions SET revoked_at = ? WHERE staff_id = ? AND token_hash <> ? AND revoked_at IS NULL;
