-- name: web-qr-insert
INSERT INTO web_qr_logins (scene, browser_idx, expires_at, created_at) VALUES (?, ?, ?, ?);

-- name: web-qr-scan
-- The first scan of a live code records its candidate; later scans change nothing.
UPDATE web_qr_logins SET candidate_id = ?, scanned_at = ?
WHERE scene = ? AND candidate_id IS NULL AND used_at IS NULL AND expires_at > ?;

-- name: web-qr-by-browser
SELECT id, scene, COALESCE(candidate_id, 0) AS candidate_id, expires_at, used_at
FROM web_qr_logins WHERE browser_idx = ?;

-- name: web-qr-use
UPDATE web_qr_logins SET used_at = ? WHERE id = ? AND used_at IS NULL AND candidate_id IS NOT NULL;

-- name: web-qr-prune
DELETE FROM web_qr_logins WHERE expires_at < ?;

-- name: candidate-adopt-openid
-- A candidate created by the web door (openid "oa:…") takes the mini-program's
-- openid when the same person (same unionid) signs in there.
UPDATE candidates SET openid = ?, updated_at = ? WHERE id = ? AND openid LIKE 'oa:%';
