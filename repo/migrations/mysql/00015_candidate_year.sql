-- +goose Up
-- Issue 25, the candidate's year. The same schema as sqlite/00015_candidate_year.sql.
-- Only CREATE TABLE IF NOT EXISTS: safe to re-run (MySQL commits DDL implicitly).

CREATE TABLE IF NOT EXISTS registration_rounds (
    id              BIGINT AUTO_INCREMENT PRIMARY KEY,
    registration_id BIGINT NOT NULL,
    round_no        INT NOT NULL,
    status          VARCHAR(16) NOT NULL,
    basis           VARCHAR(32) NOT NULL DEFAULT '',
    submitted_at    DATETIME(6) NULL,
    reviewed_at     DATETIME(6) NULL,
    review_note     VARCHAR(1000) NOT NULL DEFAULT '',
    cancelled_at    DATETIME(6) NULL,
    reopened_at     DATETIME(6) NOT NULL,
    UNIQUE KEY registration_rounds_no (registration_id, round_no),
    CONSTRAINT registration_rounds_registration_fk FOREIGN KEY (registration_id) REFERENCES registrations(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS seat_watches (
    id           BIGINT AUTO_INCREMENT PRIMARY KEY,
    plan_id      BIGINT NOT NULL,
    candidate_id BIGINT NOT NULL,
    created_at   DATETIME(6) NOT NULL,
    notified_at  DATETIME(6) NULL,
    CONSTRAINT seat_watches_plan_fk FOREIGN KEY (plan_id) REFERENCES plans(id),
    CONSTRAINT seat_watches_candidate_fk FOREIGN KEY (candidate_id) REFERENCES candidates(id),
    INDEX seat_watches_plan (plan_id, notified_at, id),
    INDEX seat_watches_candidate (candidate_id, plan_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE IF EXISTS seat_watches;
DROP TABLE IF EXISTS registration_rounds;
