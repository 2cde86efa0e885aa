-- +goose Up
-- Accounts deleted at the candidate's request (PIPL Art. 47): when, and how many
-- registrations the certification process keeps (unlinked from WeChat).
CREATE TABLE account_deletions (
    candidate_id       INTEGER PRIMARY KEY REFERENCES candidates(id),
    deleted_at         DATETIME NOT NULL,
    kept_registrations INTEGER NOT NULL DEFAULT 0
);

-- +goose Down
DROP TABLE account_deletions;
