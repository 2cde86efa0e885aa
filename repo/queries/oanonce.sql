-- Official-account callback nonces (issue 14): each (timestamp, nonce) once per body.

-- name: oa-nonce-insert
INSERT INTO oa_callback_nonces (nonce_key, body_sum, created_at) VALUES (?, ?, ?);

-- name: oa-nonce-get
SELECT body_sum FROM oa_callback_nonces WHERE nonce_key = ?;

-- name: oa-nonce-prune
DELETE FROM oa_callback_nonces WHERE created_at < ?;
