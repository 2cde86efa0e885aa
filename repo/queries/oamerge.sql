-- Merging a candidate made by the official-account door into the mini-program's
-- account (issue 23): see repo/oamerge.go.

-- name: oa-merge-registrations
SELECT COUNT(*) FROM registrations WHERE candidate_id = ?;

-- name: oa-merge-free-account
-- The mini-program's empty account gives up its openid and unionid (unique).
UPDATE candidates SET openid = ?, unionid = NULL, updated_at = ? WHERE id = ?;

-- name: oa-merge-take-account
-- The official account's candidate (openid "oa:…") takes them.
UPDATE candidates SET openid = ?, unionid = COALESCE(unionid, ?), updated_at = ? WHERE id = ? AND openid LIKE 'oa:%';

-- name: oa-merge-sessions
SELECT token_hash FROM candidate_sessions WHERE candidate_id = ? AND revoked_at IS NULL;

-- name: oa-merge-sessions-revoke
UPDATE candidate_sessions SET revoked_at = ? WHERE candidate_id = ? AND revoked_at IS NULL;
