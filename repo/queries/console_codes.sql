-- Registration codes as the console issues them (issue 5).

-- name: console-code-insert
INSERT INTO registration_codes (code, plan_id, state, expires_at, use_count, created_by, created_at)
VALUES (?, ?, 'active', ?, 0, ?, ?);

-- name: console-code-list
SELECT id, code, plan_id, state, expires_at, use_count, created_by, created_at, revoked_at
FROM registration_codes WHERE plan_id = ?
ORDER BY id DESC
LIMIT ? OFFSET ?;

-- name: console-code-count
SELECT COUNT(*) FROM registration_codes WHERE plan_id = ?;

-- name: console-code-revoke
UPDATE registration_codes SET state = 'revoked', revoked_at = ?
WHERE id = ? AND plan_id = ? AND state = 'active';
