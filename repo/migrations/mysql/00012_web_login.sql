-- +goose Up
-- Web sign-in by official-account QR code (issue 16): see
-- migrations/sqlite/00012_web_login.sql. Only CREATE TABLE IF NOT EXISTS: safe to
-- re-run (MySQL commits DDL implicitly).
CREATE TABLE IF NOT EXISTS web_qr_logins (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    scene        VARCHAR(64) NOT NULL,
    browser_idx  CHAR(64) NOT NULL,
    candidate_id BIGINT NULL,
    scanned_at   DATETIME(6) NULL,
    used_at      DATETIME(6) NULL,
    expires_at   DATETIME(6) NOT NULL,
    created_at   DATETIME(6) NOT NULL,
    CONSTRAINT web_qr_logins_candidate_fk FOREIGN KEY (candidate_id) REFERENCES candidates(id),
    UNIQUE INDEX web_qr_logins_scene (scene),
    UNIQUE INDEX web_qr_logins_browser (browser_idx),
    INDEX web_qr_logins_expires (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE IF EXISTS web_qr_logins;
