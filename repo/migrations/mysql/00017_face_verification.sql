-- +goose Up
-- Real-name verification by face (人脸核身), issue 17. The same schema as
-- sqlite/00017_face_verification.sql; only CREATE TABLE IF NOT EXISTS, so the
-- step is safe to re-run (MySQL commits DDL implicitly). No face data is stored.

CREATE TABLE IF NOT EXISTS face_verifications (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    candidate_id    BIGINT NOT NULL,
    purpose         VARCHAR(16) NOT NULL,
    name            VARCHAR(100) NOT NULL,
    id_type         CHAR(2) NOT NULL,
    id_number_enc   TEXT NOT NULL,
    id_number_idx   CHAR(64) NOT NULL,
    consent_version VARCHAR(40) NOT NULL DEFAULT '',
    out_seq_no      VARCHAR(32) NOT NULL,
    verify_id       VARCHAR(256) NOT NULL,
    method          VARCHAR(32) NOT NULL,
    state           VARCHAR(16) NOT NULL DEFAULT 'pending',
    result_code     INT NOT NULL DEFAULT 0,
    created_at      DATETIME(6) NOT NULL,
    expires_at      DATETIME(6) NOT NULL,
    finished_at     DATETIME(6) NULL,
    CONSTRAINT face_verifications_candidate_fk FOREIGN KEY (candidate_id) REFERENCES candidates(id),
    UNIQUE KEY face_verifications_seq (out_seq_no),
    UNIQUE KEY face_verifications_verify_id (verify_id),
    INDEX face_verifications_candidate (candidate_id, created_at),
    INDEX face_verifications_number (id_number_idx, created_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS candidate_verifications (
    candidate_id    BIGINT PRIMARY KEY,
    method          VARCHAR(32) NOT NULL,
    verification_id BIGINT NOT NULL,
    verified_at     DATETIME(6) NOT NULL,
    CONSTRAINT candidate_verifications_candidate_fk FOREIGN KEY (candidate_id) REFERENCES candidates(id),
    CONSTRAINT candidate_verifications_session_fk FOREIGN KEY (verification_id) REFERENCES face_verifications(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS plan_identity_rules (
    plan_id          BIGINT PRIMARY KEY,
    require_verified TINYINT(1) NOT NULL DEFAULT 0,
    updated_by       BIGINT NULL,
    updated_at       DATETIME(6) NOT NULL,
    CONSTRAINT plan_identity_rules_plan_fk FOREIGN KEY (plan_id) REFERENCES plans(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS registration_flags (
    registration_id BIGINT NOT NULL,
    kind            VARCHAR(32) NOT NULL,
    detail          VARCHAR(500) NOT NULL DEFAULT '',
    created_at      DATETIME(6) NOT NULL,
    PRIMARY KEY (registration_id, kind),
    CONSTRAINT registration_flags_registration_fk FOREIGN KEY (registration_id) REFERENCES registrations(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE IF EXISTS registration_flags;
DROP TABLE IF EXISTS plan_identity_rules;
DROP TABLE IF EXISTS candidate_verifications;
DROP TABLE IF EXISTS face_verifications;
