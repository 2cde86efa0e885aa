-- name: staff-ip-fail
INSERT INTO staff_login_failures (staff_id, ip, failures, updated_at) VALUES (?, ?, 1, ?)
ON DUPLICATE KEY UPDATE failures = failures + 1, updated_at = VALUES(updated_at);
