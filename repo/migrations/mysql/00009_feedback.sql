-- +goose Up
-- Supervision feedback (外部督导情况反馈) and training intentions (培训意向登记),
-- issue 9. The same schema as sqlite/00009_feedback.sql. Only CREATE TABLE IF NOT
-- EXISTS: safe to re-run (MySQL commits DDL implicitly).

-- A candidate's feedback about a plan (through one of their registrations or by
-- plan number). It is routed to the supervisor of the plan's 业务监管地 and never
-- shown to the plan's institution. candidate_id is kept even when anonymous (for
-- abuse control, shown to admins only); the contact phone is sealed.
CREATE TABLE IF NOT EXISTS feedback (
    id                BIGINT AUTO_INCREMENT PRIMARY KEY,
    candidate_id      BIGINT NOT NULL,
    plan_id           BIGINT NOT NULL,
    registration_id   BIGINT NULL,
    category          VARCHAR(64) NOT NULL,
    content           TEXT NOT NULL,
    contact_pref      VARCHAR(16) NOT NULL,
    contact_phone_enc TEXT NULL,
    anonymous         TINYINT(1) NOT NULL DEFAULT 0,
    status            VARCHAR(16) NOT NULL DEFAULT 'submitted',
    reply             TEXT NOT NULL,
    replied_at        DATETIME(6) NULL,
    replied_by        BIGINT NULL,
    created_at        DATETIME(6) NOT NULL,
    updated_at        DATETIME(6) NOT NULL,
    CONSTRAINT feedback_candidate_fk FOREIGN KEY (candidate_id) REFERENCES candidates(id),
    CONSTRAINT feedback_plan_fk FOREIGN KEY (plan_id) REFERENCES plans(id),
    CONSTRAINT feedback_registration_fk FOREIGN KEY (registration_id) REFERENCES registrations(id),
    CONSTRAINT feedback_replied_by_fk FOREIGN KEY (replied_by) REFERENCES staff_users(id),
    INDEX feedback_candidate (candidate_id, id),
    INDEX feedback_plan (plan_id, status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- Photos of a feedback (jpg/png). The bytes live in the blob store shared with
-- attachments, under blob_key (the SHA-256 of the content).
CREATE TABLE IF NOT EXISTS feedback_images (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    feedback_id  BIGINT NOT NULL,
    file_name    VARCHAR(200) NOT NULL,
    content_type VARCHAR(100) NOT NULL,
    size         BIGINT NOT NULL,
    blob_key     CHAR(64) NOT NULL,
    uploaded_at  DATETIME(6) NOT NULL,
    CONSTRAINT feedback_images_feedback_fk FOREIGN KEY (feedback_id) REFERENCES feedback(id),
    INDEX feedback_images_feedback (feedback_id, id),
    INDEX feedback_images_blob (blob_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- A candidate's wish to be trained. Institutions of the city see counts, and the
-- contacts of those who agreed to be contacted (contact_consent).
CREATE TABLE IF NOT EXISTS training_intentions (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    candidate_id    BIGINT NOT NULL,
    occupation      VARCHAR(100) NOT NULL,
    level           TINYINT NOT NULL CHECK (level BETWEEN 1 AND 5),
    city            VARCHAR(50) NOT NULL,
    preferred_time  VARCHAR(100) NOT NULL DEFAULT '',
    phone_enc       TEXT NOT NULL,
    note            VARCHAR(800) NOT NULL DEFAULT '',
    contact_consent TINYINT(1) NOT NULL DEFAULT 0,
    consent_at      DATETIME(6) NULL,
    created_at      DATETIME(6) NOT NULL,
    updated_at      DATETIME(6) NOT NULL,
    CONSTRAINT training_intentions_candidate_fk FOREIGN KEY (candidate_id) REFERENCES candidates(id),
    UNIQUE KEY training_intentions_one (candidate_id, occupation, level, city),
    INDEX training_intentions_city (city, occupation, level)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- The city of an institution (所在城市), which decides whose training intentions
-- it sees. A table of its own rather than a column, so the step stays re-runnable
-- on MySQL 8 (no ADD COLUMN IF NOT EXISTS).
CREATE TABLE IF NOT EXISTS institution_cities (
    institution_id BIGINT PRIMARY KEY,
    city           VARCHAR(50) NOT NULL,
    updated_at     DATETIME(6) NOT NULL,
    CONSTRAINT institution_cities_institution_fk FOREIGN KEY (institution_id) REFERENCES institutions(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE IF EXISTS institution_cities;
DROP TABLE IF EXISTS training_intentions;
DROP TABLE IF EXISTS feedback_images;
DROP TABLE IF EXISTS feedback;
