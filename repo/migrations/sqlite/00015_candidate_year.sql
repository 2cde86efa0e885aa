-- +goose Up
-- Issue 25, the candidate's year: earlier rounds of a registration reopened after
-- it was cancelled, and "有空位提醒我" watches on full plans. The same schema as
-- mysql/00015_candidate_year.sql.

-- A round of a registration that was submitted and then cancelled, kept when the
-- candidate registers on the plan again (the registration row is reopened as a
-- draft): the institution's detail page lists them.
CREATE TABLE registration_rounds (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    registration_id INTEGER NOT NULL REFERENCES registrations(id),
    round_no        INTEGER NOT NULL,
    status          TEXT NOT NULL,
    basis           TEXT NOT NULL DEFAULT '',
    submitted_at    DATETIME,
    reviewed_at     DATETIME,
    review_note     TEXT NOT NULL DEFAULT '',
    cancelled_at    DATETIME,
    reopened_at     DATETIME NOT NULL,
    UNIQUE (registration_id, round_no)
);

-- A candidate's wish to hear when a full plan has a seat again. notified_at is
-- set when the seat-freed event was enqueued; a later subscription starts anew.
CREATE TABLE seat_watches (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id      INTEGER NOT NULL REFERENCES plans(id),
    candidate_id INTEGER NOT NULL REFERENCES candidates(id),
    created_at   DATETIME NOT NULL,
    notified_at  DATETIME
);
CREATE INDEX seat_watches_plan ON seat_watches (plan_id, notified_at, id);
CREATE INDEX seat_watches_candidate ON seat_watches (candidate_id, plan_id);

-- +goose Down
DROP TABLE seat_watches;
DROP TABLE registration_rounds;
