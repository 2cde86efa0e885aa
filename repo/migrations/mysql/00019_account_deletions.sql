-- +goose Up
-- Accounts deleted at the candidate's request (PIPL Art. 47): when, and how many
-- registrations the certification process keeps (unlinked from WeChat).
CREATE TABLE IF NOT EXISTS account_deletions (
    candidate_id       BIGINT PRIMARY KEY,
    deleted_at         DATETIME(6) NOT NULL,
    kept_registrations INT NOT NULL DEFAULT 0
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE IF EXISTS account_deletions;
