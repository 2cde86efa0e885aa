-- +goose Up
-- The same schema as migrations/sqlite/00001_init.sql, in MySQL 8 / MariaDB 10.6 terms.

CREATE TABLE IF NOT EXISTS institutions (
    id            BIGINT AUTO_INCREMENT PRIMARY KEY,
    name          VARCHAR(200) NOT NULL UNIQUE,
    contact_name  VARCHAR(100) NOT NULL DEFAULT '',
    contact_phone VARCHAR(40) NOT NULL DEFAULT '',
    address       VARCHAR(300) NOT NULL DEFAULT '',
    created_at    DATETIME(6) NOT NULL,
    updated_at    DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS plans (
    id                 BIGINT AUTO_INCREMENT PRIMARY KEY,
    plan_no            VARCHAR(40) NOT NULL UNIQUE,
    plan_name          VARCHAR(200) NOT NULL,
    institution_id     BIGINT NOT NULL,
    occupation_name    VARCHAR(100) NOT NULL,
    work_type          VARCHAR(100) NOT NULL DEFAULT '无',
    level              TINYINT NOT NULL CHECK (level BETWEEN 1 AND 5),
    seats_total        INT NOT NULL CHECK (seats_total >= 0),
    seats_taken        INT NOT NULL DEFAULT 0 CHECK (seats_taken >= 0),
    city               VARCHAR(50) NOT NULL,
    district           VARCHAR(50) NOT NULL DEFAULT '',
    address            VARCHAR(300) NOT NULL DEFAULT '',
    reg_start          CHAR(10) NOT NULL,
    reg_deadline       CHAR(10) NOT NULL,
    eval_start         CHAR(10) NOT NULL,
    eval_end           CHAR(10) NOT NULL,
    contact_name       VARCHAR(100) NOT NULL DEFAULT '',
    contact_phone      VARCHAR(40) NOT NULL DEFAULT '',
    supervision_region VARCHAR(100) NOT NULL,
    state              VARCHAR(16) NOT NULL DEFAULT 'draft',
    published_at       DATETIME(6) NULL,
    created_at         DATETIME(6) NOT NULL,
    updated_at         DATETIME(6) NOT NULL,
    CONSTRAINT plans_seats CHECK (seats_taken <= seats_total OR state = 'cancelled'),
    CONSTRAINT plans_institution_fk FOREIGN KEY (institution_id) REFERENCES institutions(id),
    INDEX plans_updated (updated_at, id),
    INDEX plans_institution (institution_id, state, reg_deadline),
    INDEX plans_region (supervision_region, state),
    INDEX plans_state_deadline (state, reg_deadline, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS registration_codes (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    code       CHAR(8) NOT NULL UNIQUE,
    plan_id    BIGINT NOT NULL,
    state      VARCHAR(16) NOT NULL DEFAULT 'active',
    expires_at DATETIME(6) NULL,
    use_count  INT NOT NULL DEFAULT 0,
    created_by BIGINT NULL,
    created_at DATETIME(6) NOT NULL,
    revoked_at DATETIME(6) NULL,
    CONSTRAINT registration_codes_plan_fk FOREIGN KEY (plan_id) REFERENCES plans(id),
    INDEX registration_codes_plan (plan_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS candidates (
    id                BIGINT AUTO_INCREMENT PRIMARY KEY,
    openid            VARCHAR(64) NOT NULL UNIQUE,
    unionid           VARCHAR(64) NULL,
    name              VARCHAR(100) NOT NULL DEFAULT '',
    id_type           CHAR(2) NOT NULL DEFAULT '',
    id_number_enc     TEXT NULL,
    id_number_idx     CHAR(64) NULL UNIQUE,
    gender            VARCHAR(4) NOT NULL DEFAULT '',
    birth_date        CHAR(10) NOT NULL DEFAULT '',
    verify_state      VARCHAR(16) NOT NULL DEFAULT 'unverified',
    identity_bound_at DATETIME(6) NULL,
    phone_enc         TEXT NULL,
    phone_idx         CHAR(64) NULL,
    created_at        DATETIME(6) NOT NULL,
    updated_at        DATETIME(6) NOT NULL,
    INDEX candidates_unionid (unionid),
    INDEX candidates_phone (phone_idx)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS candidate_sessions (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    token_hash   CHAR(64) NOT NULL UNIQUE,
    candidate_id BIGINT NOT NULL,
    created_at   DATETIME(6) NOT NULL,
    expires_at   DATETIME(6) NOT NULL,
    revoked_at   DATETIME(6) NULL,
    CONSTRAINT candidate_sessions_candidate_fk FOREIGN KEY (candidate_id) REFERENCES candidates(id),
    INDEX candidate_sessions_candidate (candidate_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS consents (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    candidate_id BIGINT NOT NULL,
    kind         VARCHAR(40) NOT NULL,
    version      VARCHAR(40) NOT NULL,
    accepted_at  DATETIME(6) NOT NULL,
    CONSTRAINT consents_candidate_fk FOREIGN KEY (candidate_id) REFERENCES candidates(id),
    INDEX consents_candidate (candidate_id, kind)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS registrations (
    id                     BIGINT AUTO_INCREMENT PRIMARY KEY,
    plan_id                BIGINT NOT NULL,
    candidate_id           BIGINT NOT NULL,
    code_id                BIGINT NULL,
    id_number_idx          CHAR(64) NOT NULL,
    status                 VARCHAR(16) NOT NULL DEFAULT 'draft',
    basis                  VARCHAR(32) NOT NULL DEFAULT '',
    education              VARCHAR(16) NOT NULL DEFAULT '',
    years_in_occupation    INT NULL,
    candidate_source       VARCHAR(32) NOT NULL DEFAULT '',
    labor_relation         VARCHAR(32) NOT NULL DEFAULT '',
    phone_enc              TEXT NULL,
    employer               VARCHAR(100) NOT NULL DEFAULT '',
    commitment_accepted_at DATETIME(6) NULL,
    employer_mismatch      TINYINT(1) NOT NULL DEFAULT 0,
    seat_held              TINYINT(1) NOT NULL DEFAULT 0,
    submitted_at           DATETIME(6) NULL,
    reviewed_at            DATETIME(6) NULL,
    reviewed_by            BIGINT NULL,
    review_note            VARCHAR(1000) NOT NULL DEFAULT '',
    return_fields          VARCHAR(500) NOT NULL DEFAULT '',
    cancelled_at           DATETIME(6) NULL,
    cert_no                VARCHAR(32) NOT NULL DEFAULT '',
    cert_stage             VARCHAR(32) NOT NULL DEFAULT '',
    created_at             DATETIME(6) NOT NULL,
    updated_at             DATETIME(6) NOT NULL,
    UNIQUE KEY registrations_plan_candidate (plan_id, candidate_id),
    UNIQUE KEY registrations_plan_idnumber (plan_id, id_number_idx),
    CONSTRAINT registrations_plan_fk FOREIGN KEY (plan_id) REFERENCES plans(id),
    CONSTRAINT registrations_candidate_fk FOREIGN KEY (candidate_id) REFERENCES candidates(id),
    CONSTRAINT registrations_code_fk FOREIGN KEY (code_id) REFERENCES registration_codes(id),
    INDEX registrations_candidate (candidate_id, created_at),
    INDEX registrations_plan_status (plan_id, status)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS attachments (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    registration_id BIGINT NOT NULL,
    item_key        VARCHAR(40) NOT NULL,
    file_name       VARCHAR(255) NOT NULL,
    content_type    VARCHAR(100) NOT NULL,
    size            BIGINT NOT NULL,
    blob_key        CHAR(64) NOT NULL,
    uploaded_at     DATETIME(6) NOT NULL,
    CONSTRAINT attachments_registration_fk FOREIGN KEY (registration_id) REFERENCES registrations(id),
    INDEX attachments_registration (registration_id, id),
    INDEX attachments_blob (blob_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS employment_register (
    id            BIGINT AUTO_INCREMENT PRIMARY KEY,
    id_number_idx CHAR(64) NOT NULL,
    employer      VARCHAR(200) NOT NULL,
    from_date     CHAR(10) NOT NULL DEFAULT '',
    imported_at   DATETIME(6) NOT NULL,
    INDEX employment_register_idx (id_number_idx, from_date)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS exam_results (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    registration_id BIGINT NOT NULL,
    subject         VARCHAR(16) NOT NULL,
    result          VARCHAR(8) NOT NULL,
    score           DOUBLE NULL,
    recorded_at     DATETIME(6) NOT NULL,
    UNIQUE KEY exam_results_subject (registration_id, subject),
    CONSTRAINT exam_results_registration_fk FOREIGN KEY (registration_id) REFERENCES registrations(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS certificate_events (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    registration_id BIGINT NOT NULL,
    stage           VARCHAR(32) NOT NULL,
    note            VARCHAR(500) NOT NULL DEFAULT '',
    occurred_at     DATETIME(6) NOT NULL,
    created_by      BIGINT NULL,
    CONSTRAINT certificate_events_registration_fk FOREIGN KEY (registration_id) REFERENCES registrations(id),
    INDEX certificate_events_registration (registration_id, occurred_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS outbox (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    event_kind      VARCHAR(64) NOT NULL,
    dedupe_key      VARCHAR(191) NOT NULL UNIQUE,
    candidate_id    BIGINT NULL,
    registration_id BIGINT NULL,
    plan_id         BIGINT NULL,
    payload         TEXT NOT NULL,
    state           VARCHAR(16) NOT NULL DEFAULT 'pending',
    channel         VARCHAR(16) NOT NULL DEFAULT '',
    attempts        INT NOT NULL DEFAULT 0,
    next_attempt_at DATETIME(6) NOT NULL,
    claimed_by      VARCHAR(64) NOT NULL DEFAULT '',
    claimed_until   DATETIME(6) NULL,
    last_error      VARCHAR(500) NOT NULL DEFAULT '',
    created_at      DATETIME(6) NOT NULL,
    sent_at         DATETIME(6) NULL,
    INDEX outbox_due (state, next_attempt_at, id),
    INDEX outbox_candidate (candidate_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS staff_users (
    id             BIGINT AUTO_INCREMENT PRIMARY KEY,
    username       VARCHAR(64) NOT NULL UNIQUE,
    password_hash  VARCHAR(255) NOT NULL,
    role           VARCHAR(16) NOT NULL,
    institution_id BIGINT NULL,
    region         VARCHAR(100) NOT NULL DEFAULT '',
    failed_logins  INT NOT NULL DEFAULT 0,
    locked_until   DATETIME(6) NULL,
    disabled       TINYINT(1) NOT NULL DEFAULT 0,
    created_at     DATETIME(6) NOT NULL,
    updated_at     DATETIME(6) NOT NULL,
    CONSTRAINT staff_users_institution_fk FOREIGN KEY (institution_id) REFERENCES institutions(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS audit_log (
    id          BIGINT AUTO_INCREMENT PRIMARY KEY,
    actor_kind  VARCHAR(16) NOT NULL,
    actor_id    BIGINT NULL,
    action      VARCHAR(64) NOT NULL,
    object_kind VARCHAR(32) NOT NULL DEFAULT '',
    object_id   BIGINT NULL,
    detail      TEXT NOT NULL,
    ip          VARCHAR(64) NOT NULL DEFAULT '',
    created_at  DATETIME(6) NOT NULL,
    INDEX audit_log_time (created_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS rate_counters (
    bucket       VARCHAR(191) NOT NULL,
    window_start DATETIME(6) NOT NULL,
    count        INT NOT NULL DEFAULT 0,
    PRIMARY KEY (bucket, window_start)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE IF EXISTS rate_counters;
DROP TABLE IF EXISTS audit_log;
DROP TABLE IF EXISTS staff_users;
DROP TABLE IF EXISTS outbox;
DROP TABLE IF EXISTS certificate_events;
DROP TABLE IF EXISTS exam_results;
DROP TABLE IF EXISTS employment_register;
DROP TABLE IF EXISTS attachments;
DROP TABLE IF EXISTS registrations;
DROP TABLE IF EXISTS consents;
DROP TABLE IF EXISTS candidate_sessions;
DROP TABLE IF EXISTS candidates;
DROP TABLE IF EXISTS registration_codes;
DROP TABLE IF EXISTS plans;
DROP TABLE IF EXISTS institutions;
