-- +goose Up
-- Official-account chat (issue 7): see migrations/sqlite/00007_chat.sql. Only
-- CREATE TABLE IF NOT EXISTS: safe to re-run (MySQL commits DDL implicitly).

CREATE TABLE IF NOT EXISTS oa_bind_codes (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    candidate_id BIGINT NOT NULL,
    code_idx     CHAR(64) NOT NULL,
    expires_at   DATETIME(6) NOT NULL,
    used_at      DATETIME(6) NULL,
    used_by      VARCHAR(64) NOT NULL DEFAULT '',
    created_at   DATETIME(6) NOT NULL,
    CONSTRAINT oa_bind_codes_candidate_fk FOREIGN KEY (candidate_id) REFERENCES candidates(id),
    INDEX oa_bind_codes_code (code_idx, expires_at),
    INDEX oa_bind_codes_candidate (candidate_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS oa_conversations (
    oa_openid  VARCHAR(64) NOT NULL PRIMARY KEY,
    state      VARCHAR(16) NOT NULL,
    data       TEXT NOT NULL,
    expires_at DATETIME(6) NOT NULL,
    updated_at DATETIME(6) NOT NULL,
    INDEX oa_conversations_expires (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS oa_inbound (
    dedupe_key VARCHAR(128) NOT NULL PRIMARY KEY,
    oa_openid  VARCHAR(64) NOT NULL,
    done       TINYINT(1) NOT NULL DEFAULT 0,
    reply      TEXT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    INDEX oa_inbound_created (created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE IF EXISTS oa_inbound;
DROP TABLE IF EXISTS oa_conversations;
DROP TABLE IF EXISTS oa_bind_codes;
