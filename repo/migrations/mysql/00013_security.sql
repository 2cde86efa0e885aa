-- +goose Up
-- Security (issue 14): see migrations/sqlite/00013_security.sql. Only CREATE
-- TABLE IF NOT EXISTS: safe to re-run (MySQL commits DDL implicitly).

CREATE TABLE IF NOT EXISTS oa_callback_nonces (
    nonce_key  VARCHAR(160) NOT NULL PRIMARY KEY,
    body_sum   CHAR(64) NOT NULL,
    created_at DATETIME(6) NOT NULL,
    INDEX oa_callback_nonces_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS staff_login_failures (
    staff_id     BIGINT NOT NULL,
    ip           VARCHAR(64) NOT NULL,
    failures     INT NOT NULL DEFAULT 0,
    locked_until DATETIME(6) NULL,
    updated_at   DATETIME(6) NOT NULL,
    PRIMARY KEY (staff_id, ip),
    CONSTRAINT staff_login_failures_staff_fk FOREIGN KEY (staff_id) REFERENCES staff_users(id),
    INDEX staff_login_failures_updated (updated_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE IF EXISTS staff_login_failures;
DROP TABLE IF EXISTS oa_callback_nonces;
