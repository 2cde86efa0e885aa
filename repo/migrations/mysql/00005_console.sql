-- +goose Up
-- The console (issue 5): staff sign-in sessions, stored by the SHA-256 hash of
-- their token, never the token itself. Safe to re-run.

CREATE TABLE IF NOT EXISTS staff_sessions (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    token_hash CHAR(64) NOT NULL UNIQUE,
    staff_id   BIGINT NOT NULL,
    ip         VARCHAR(64) NOT NULL DEFAULT '',
    created_at DATETIME(6) NOT NULL,
    expires_at DATETIME(6) NOT NULL,
    revoked_at DATETIME(6) NULL,
    CONSTRAINT staff_sessions_staff_fk FOREIGN KEY (staff_id) REFERENCES staff_users(id),
    INDEX staff_sessions_staff (staff_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE IF EXISTS staff_sessions;
