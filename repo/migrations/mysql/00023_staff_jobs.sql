-- +goose Up
-- Staff work run in the background (issue 26): a results import is one row,
-- its progress counted by the batches written; the console's job page polls it.
CREATE TABLE IF NOT EXISTS staff_jobs (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    kind        VARCHAR(32) NOT NULL,
    plan_id     BIGINT NOT NULL,
    staff_id    BIGINT NOT NULL,
    status      VARCHAR(16) NOT NULL DEFAULT 'running',
    total       INT NOT NULL DEFAULT 0,
    done        INT NOT NULL DEFAULT 0,
    refused     MEDIUMTEXT NOT NULL,
    error       TEXT NOT NULL,
    created_at  DATETIME(6) NOT NULL,
    updated_at  DATETIME(6) NOT NULL,
    finished_at DATETIME(6) NULL,
    INDEX staff_jobs_plan (plan_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE IF EXISTS staff_jobs;
