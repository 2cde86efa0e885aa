-- +goose Up
-- The change feed of the plan read model (issue 27): every write to a plan adds a
-- row here in its own transaction, so a replica that reads the feed by id sees
-- every committed change, whatever the writers' clocks and however long a write
-- waited for a lock. plan_id 0 means "reload every plan" (bulk loads). Rows older
-- than an hour are pruned by the replicas.
CREATE TABLE IF NOT EXISTS plan_changes (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    plan_id    BIGINT NOT NULL,
    changed_at DATETIME(6) NOT NULL,
    INDEX plan_changes_at (changed_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE IF EXISTS plan_changes;
