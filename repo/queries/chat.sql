-- Official-account chat (issue 7): bind codes, follower lookups, conversation
-- state and the inbound message log. The conversation upsert is per dialect
-- (chat.mysql.sql, chat.sqlite.sql).

-- name: oa-bind-code-insert
INSERT INTO oa_bind_codes (candidate_id, code_idx, expires_at, used_by, created_at)
VALUES (?, ?, ?, '', ?);

-- name: oa-bind-code-retire
-- A new code replaces the candidate's codes that are still usable.
UPDATE oa_bind_codes SET expires_at = ?
WHERE candidate_id = ? AND used_at IS NULL AND expires_at > ?;

-- name: oa-bind-code-live
SELECT COUNT(*) FROM oa_bind_codes WHERE code_idx = ? AND used_at IS NULL AND expires_at > ?;

-- name: oa-bind-code-find
SELECT id, candidate_id FROM oa_bind_codes
WHERE code_idx = ? AND used_at IS NULL AND expires_at > ?
ORDER BY id DESC LIMIT 1;

-- name: oa-bind-code-use
UPDATE oa_bind_codes SET used_at = ?, used_by = ? WHERE id = ? AND used_at IS NULL;

-- name: oa-bind-code-prune
DELETE FROM oa_bind_codes WHERE expires_at < ?;

-- name: oa-follower-get
SELECT COALESCE(candidate_id, 0) AS candidate_id, COALESCE(unionid, '') AS unionid
FROM oa_followers WHERE oa_openid = ?;

-- name: oa-candidate-by-unionid
SELECT id FROM candidates WHERE unionid = ? ORDER BY id LIMIT 1;

-- name: oa-conversation-get
SELECT state, data, expires_at FROM oa_conversations WHERE oa_openid = ?;

-- name: oa-conversation-delete
DELETE FROM oa_conversations WHERE oa_openid = ?;

-- name: oa-conversation-prune
DELETE FROM oa_conversations WHERE expires_at < ?;

-- name: oa-inbound-claim
INSERT INTO oa_inbound (dedupe_key, oa_openid, done, reply, created_at) VALUES (?, ?, 0, '', ?);

-- name: oa-inbound-get
SELECT done, reply, created_at FROM oa_inbound WHERE dedupe_key = ?;

-- name: oa-inbound-finish
UPDATE oa_inbound SET done = 1, reply = ? WHERE dedupe_key = ?;

-- name: oa-inbound-prune
DELETE FROM oa_inbound WHERE created_at < ?;


-- name: oa-bound
-- Whether a candidate has a follower: bound to it, or sharing its unionid.
SELECT COUNT(*) FROM oa_followers f
WHERE f.subscribed = 1 AND (f.candidate_id = ?
   OR (f.unionid IS NOT NULL AND f.unionid = (SELECT c.unionid FROM candidates c WHERE c.id = ?)));
