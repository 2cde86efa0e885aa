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
