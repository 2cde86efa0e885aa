-- name: staff-ip-fail
INSERT INTO staff_login_failures (staff_id, ip, failures, updated_at) VALUES (?, ?, 1, ?)
ON CONFLICT (staff_id, ip) DO UPDATE SET failures = failures + 1, updated_at = excluded.updated_at;
