-- +goose Up
-- The session revocation feed (issue 19 item 1): every write that ends
-- candidate sessions (a sign-out, an account's merge, a privacy deletion) adds
-- the ended tokens' hashes here in its own transaction. Each replica follows the
-- feed by id (package feed) about every second and forgets those sessions, so it
-- can trust the sessions it remembers without reading them again for each
-- request. Rows older than an hour are pruned by the replicas. AUTOINCREMENT:
-- ids are never reused.
CREATE TABLE IF NOT EXISTS session_revocations (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash CHAR(64) NOT NULL,
    revoked_at DATETIME NOT NULL
);
CREATE INDEX IF NOT EXISTS session_revocations_at ON session_revocations (revoked_at);

-- +goose Down
DROP TABLE IF EXISTS session_revocations;
