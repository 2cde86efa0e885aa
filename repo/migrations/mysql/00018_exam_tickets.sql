-- +goose Up
-- Exam arrangements and admission tickets (准考证), issue 18. The same schema as
-- sqlite/00018_exam_tickets.sql. Only CREATE TABLE IF NOT EXISTS: safe to re-run.

CREATE TABLE IF NOT EXISTS exam_sessions (
    id         BIGINT AUTO_INCREMENT PRIMARY KEY,
    plan_id    BIGINT NOT NULL,
    subject    VARCHAR(16) NOT NULL,
    exam_date  CHAR(10) NOT NULL,
    start_time CHAR(5) NOT NULL,
    end_time   CHAR(5) NOT NULL,
    venue      VARCHAR(200) NOT NULL,
    room       VARCHAR(60) NOT NULL,
    seats      INT NOT NULL,
    created_at DATETIME(6) NOT NULL,
    CONSTRAINT exam_sessions_plan_fk FOREIGN KEY (plan_id) REFERENCES plans(id),
    CONSTRAINT exam_sessions_seats CHECK (seats > 0),
    INDEX exam_sessions_plan (plan_id, subject, exam_date, start_time, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS exam_arrangements (
    plan_id      BIGINT PRIMARY KEY,
    published_at DATETIME(6) NULL,
    published_by BIGINT NULL,
    updated_at   DATETIME(6) NOT NULL,
    CONSTRAINT exam_arrangements_plan_fk FOREIGN KEY (plan_id) REFERENCES plans(id),
    CONSTRAINT exam_arrangements_by_fk FOREIGN KEY (published_by) REFERENCES staff_users(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS exam_tickets (
    registration_id   BIGINT PRIMARY KEY,
    plan_id           BIGINT NOT NULL,
    ticket_no         VARCHAR(64) NOT NULL,
    revision          INT NOT NULL DEFAULT 1,
    notified_revision INT NOT NULL DEFAULT 0,
    created_at        DATETIME(6) NOT NULL,
    updated_at        DATETIME(6) NOT NULL,
    CONSTRAINT exam_tickets_registration_fk FOREIGN KEY (registration_id) REFERENCES registrations(id),
    CONSTRAINT exam_tickets_plan_fk FOREIGN KEY (plan_id) REFERENCES plans(id),
    UNIQUE KEY exam_tickets_no (plan_id, ticket_no)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS exam_seats (
    registration_id BIGINT NOT NULL,
    plan_id         BIGINT NOT NULL,
    subject         VARCHAR(16) NOT NULL,
    session_id      BIGINT NOT NULL,
    seat_no         INT NOT NULL,
    PRIMARY KEY (registration_id, subject),
    UNIQUE KEY exam_seats_seat (session_id, seat_no),
    INDEX exam_seats_plan (plan_id),
    CONSTRAINT exam_seats_registration_fk FOREIGN KEY (registration_id) REFERENCES registrations(id),
    CONSTRAINT exam_seats_plan_fk FOREIGN KEY (plan_id) REFERENCES plans(id),
    CONSTRAINT exam_seats_session_fk FOREIGN KEY (session_id) REFERENCES exam_sessions(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

CREATE TABLE IF NOT EXISTS exam_checkins (
    session_id      BIGINT NOT NULL,
    registration_id BIGINT NOT NULL,
    arrived_at      DATETIME(6) NOT NULL,
    checked_by      BIGINT NULL,
    PRIMARY KEY (session_id, registration_id),
    CONSTRAINT exam_checkins_session_fk FOREIGN KEY (session_id) REFERENCES exam_sessions(id),
    CONSTRAINT exam_checkins_registration_fk FOREIGN KEY (registration_id) REFERENCES registrations(id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin;

-- +goose Down
DROP TABLE IF EXISTS exam_checkins;
DROP TABLE IF EXISTS exam_seats;
DROP TABLE IF EXISTS exam_tickets;
DROP TABLE IF EXISTS exam_arrangements;
DROP TABLE IF EXISTS exam_sessions;
