-- +goose Up
-- Exam arrangements and admission tickets (准考证), issue 18. Only CREATE … IF NOT
-- EXISTS: safe to re-run.

-- One sitting of one subject in one room: 理论/实操/综合评审, its date and time
-- (Beijing, 'YYYY-MM-DD' and 'HH:MM'), the venue address, the room and its seats.
CREATE TABLE IF NOT EXISTS exam_sessions (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id    INTEGER NOT NULL REFERENCES plans(id),
    subject    TEXT NOT NULL,                    -- theory | practical | comprehensive
    exam_date  CHAR(10) NOT NULL,
    start_time CHAR(5) NOT NULL,
    end_time   CHAR(5) NOT NULL,
    venue      TEXT NOT NULL,
    room       TEXT NOT NULL,
    seats      INTEGER NOT NULL CHECK (seats > 0),
    created_at DATETIME NOT NULL
);
CREATE INDEX IF NOT EXISTS exam_sessions_plan ON exam_sessions (plan_id, subject, exam_date, start_time, id);

-- A plan's arrangement: published once the institution publishes the tickets.
CREATE TABLE IF NOT EXISTS exam_arrangements (
    plan_id      INTEGER PRIMARY KEY REFERENCES plans(id),
    published_at DATETIME,
    published_by INTEGER REFERENCES staff_users(id),
    updated_at   DATETIME NOT NULL
);

-- The ticket of one approved registration. revision grows with every change of
-- its seats; notified_revision is the revision the candidate was last told of
-- (0: never published).
CREATE TABLE IF NOT EXISTS exam_tickets (
    registration_id   INTEGER PRIMARY KEY REFERENCES registrations(id),
    plan_id           INTEGER NOT NULL REFERENCES plans(id),
    ticket_no         TEXT NOT NULL,
    revision          INTEGER NOT NULL DEFAULT 1,
    notified_revision INTEGER NOT NULL DEFAULT 0,
    created_at        DATETIME NOT NULL,
    updated_at        DATETIME NOT NULL,
    UNIQUE (plan_id, ticket_no)
);

-- A registration's seat for one subject.
CREATE TABLE IF NOT EXISTS exam_seats (
    registration_id INTEGER NOT NULL REFERENCES registrations(id),
    plan_id         INTEGER NOT NULL REFERENCES plans(id),
    subject         TEXT NOT NULL,
    session_id      INTEGER NOT NULL REFERENCES exam_sessions(id),
    seat_no         INTEGER NOT NULL,
    PRIMARY KEY (registration_id, subject),
    UNIQUE (session_id, seat_no)
);
CREATE INDEX IF NOT EXISTS exam_seats_plan ON exam_seats (plan_id);

-- Arrival at a session, recorded once.
CREATE TABLE IF NOT EXISTS exam_checkins (
    session_id      INTEGER NOT NULL REFERENCES exam_sessions(id),
    registration_id INTEGER NOT NULL REFERENCES registrations(id),
    arrived_at      DATETIME NOT NULL,
    checked_by      INTEGER REFERENCES staff_users(id),
    PRIMARY KEY (session_id, registration_id)
);

-- +goose Down
DROP TABLE IF EXISTS exam_checkins;
DROP TABLE IF EXISTS exam_seats;
DROP TABLE IF EXISTS exam_tickets;
DROP TABLE IF EXISTS exam_arrangements;
DROP TABLE IF EXISTS exam_sessions;
