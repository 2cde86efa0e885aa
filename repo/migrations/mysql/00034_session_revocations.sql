-- +goose Up
-- The session revocation feed (issue 19 item 1); see
-- sqlite/00034_session_revocations.sql.
CREATE TABLE IF NOT EXISTS session_revocations (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    token_hash CHAR(64) NOT NULL,
    revoked_at DATETIME(6) NOT NULL,
    INDEX session_revocations_at (revoked_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE IF EXISTS session_revocations;
