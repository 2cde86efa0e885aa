-- +goose Up
-- The change feed of the plan read model (issue 27): every write to a plan adds a
-- row here in its own transaction, so a replica that reads the feed by id sees
-- every committed change, whatever the writers' clocks and however long a write
-- waited for a lock. plan_id 0 means "reload every plan" (bulk loads). Rows older
-- than an hour are pruned by the replicas. AUTOINCREMENT: ids are never reused.
CREATE TABLE IF NOT EXISTS plan_changes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id    INTEGER NOT NULL,
    changed_at DATETIME NOT NULL
);
CREATE INDEX IF NOT EXISTS plan_changes_at ON plan_changes (changed_at);

-- +goose Down
DROP TABLE IF EXISTS plan_changes;
