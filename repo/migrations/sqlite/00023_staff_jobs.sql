-- +goose Up
-- Staff work run in the background (issue 26): a results import is one row,
-- its progress counted by the batches written; the console's job page polls it.
CREATE TABLE IF NOT EXISTS staff_jobs (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    kind        TEXT NOT NULL,
    plan_id     INTEGER NOT NULL,
    staff_id    INTEGER NOT NULL,
    status      TEXT NOT NULL DEFAULT 'running',
    total       INTEGER NOT NULL DEFAULT 0,
    done        INTEGER NOT NULL DEFAULT 0,
    refused     TEXT NOT NULL DEFAULT '[]',
    error       TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL,
    updated_at  DATETIME NOT NULL,
    finished_at DATETIME NULL
);
CREATE INDEX IF NOT EXISTS staff_jobs_plan ON staff_jobs (plan_id, id);

-- +goose Down
DROP INDEX IF EXISTS staff_jobs_plan;
DROP TABLE IF EXISTS staff_jobs;
