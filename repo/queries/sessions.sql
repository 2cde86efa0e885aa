-- Candidate sessions: opaque tokens stored as SHA-256 hashes.

-- name: session-insert
INSERT INTO candidate_sessions (token_hash, candidate_id, created_at, expires_at) VALUES (?, ?, ?, ?);

-- name: session-lookup
-- A session is valid when it exists, is not revoked and has not expired.
SELECT candidate_id, expires_at FROM candidate_sessions
WHERE token_hash = ? AND revoked_at IS NULL AND expires_at > ?;

-- name: session-revoke
UPDATE candidate_sessions SET revoked_at = ? WHERE token_hash = ? AND revoked_at IS NULL;

-- name: session-lookup-many
-- The valid sessions among several tokens, looked up together (a burst of requests).
SELECT token_hash, candidate_id, expires_at FROM candidate_sessions
WHERE token_hash IN (?) AND revoked_at IS NULL AND expires_at > ?;

-- name: session-revocation-insert
-- The feed of ended sessions that every replica follows (migration 00034).
INSERT INTO session_revocations (token_hash, revoked_at) VALUES (?, ?);

-- name: session-revocations-after
SELECT id, token_hash FROM session_revocations WHERE id > ? ORDER BY id LIMIT ?;

-- name: session-revocations-in
-- Ids a replica saw skipped, asked for again (IN expanded by sqlx.In).
SELECT id, token_hash FROM session_revocations WHERE id IN (?);

-- name: session-revocations-bounds
SELECT COALESCE(MIN(id), 0) AS lo, COALESCE(MAX(id), 0) AS hi FROM session_revocations;

-- name: session-revocations-ids
SELECT id FROM session_revocations WHERE id > ? AND id <= ? ORDER BY id;

-- name: session-revocations-prune
DELETE FROM session_revocations WHERE revoked_at < ?;
