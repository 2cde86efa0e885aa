-- +goose Up
-- The core of the whole product. Dates that are whole Beijing days (报名截止日期 …) are
-- CHAR(10) 'YYYY-MM-DD'; instants are DATETIME in UTC. Personal data columns hold
-- AES-GCM ciphertext (`*_enc`, key id inside the value) and an HMAC blind index (`*_idx`).

CREATE TABLE institutions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT NOT NULL UNIQUE,
    contact_name  TEXT NOT NULL DEFAULT '',
    contact_phone TEXT NOT NULL DEFAULT '',
    address       TEXT NOT NULL DEFAULT '',
    created_at    DATETIME NOT NULL,
    updated_at    DATETIME NOT NULL
);

CREATE TABLE plans (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_no            TEXT NOT NULL UNIQUE,
    plan_name          TEXT NOT NULL,
    institution_id     INTEGER NOT NULL REFERENCES institutions(id),
    occupation_name    TEXT NOT NULL,
    work_type          TEXT NOT NULL DEFAULT '无',
    level              INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    seats_total        INTEGER NOT NULL CHECK (seats_total >= 0),
    seats_taken        INTEGER NOT NULL DEFAULT 0 CHECK (seats_taken >= 0),
    city               TEXT NOT NULL,
    district           TEXT NOT NULL DEFAULT '',
    address            TEXT NOT NULL DEFAULT '',
    reg_start          CHAR(10) NOT NULL,
    reg_deadline       CHAR(10) NOT NULL,
    eval_start         CHAR(10) NOT NULL,
    eval_end           CHAR(10) NOT NULL,
    contact_name       TEXT NOT NULL DEFAULT '',
    contact_phone      TEXT NOT NULL DEFAULT '',
    supervision_region TEXT NOT NULL,
    state              TEXT NOT NULL DEFAULT 'draft', -- draft | published | closed | cancelled
    published_at       DATETIME,
    created_at         DATETIME NOT NULL,
    updated_at         DATETIME NOT NULL,
    CHECK (seats_taken <= seats_total OR state = 'cancelled')
);
CREATE INDEX plans_updated ON plans (updated_at, id);
CREATE INDEX plans_institution ON plans (institution_id, state, reg_deadline);
CREATE INDEX plans_region ON plans (supervision_region, state);
CREATE INDEX plans_state_deadline ON plans (state, reg_deadline, id);

CREATE TABLE registration_codes (
    id         INTEGER PRIMARY KEY AUTOINCREMENT,
    code       CHAR(8) NOT NULL UNIQUE,
    plan_id    INTEGER NOT NULL REFERENCES plans(id),
    state      TEXT NOT NULL DEFAULT 'active', -- active | revoked
    expires_at DATETIME,
    use_count  INTEGER NOT NULL DEFAULT 0,
    created_by INTEGER,
    created_at DATETIME NOT NULL,
    revoked_at DATETIME
);
CREATE INDEX registration_codes_plan ON registration_codes (plan_id);

CREATE TABLE candidates (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    openid            TEXT NOT NULL UNIQUE,
    unionid           TEXT,
    name              TEXT NOT NULL DEFAULT '',
    id_type           CHAR(2) NOT NULL DEFAULT '',
    id_number_enc     TEXT,
    id_number_idx     CHAR(64) UNIQUE,
    gender            TEXT NOT NULL DEFAULT '',
    birth_date        CHAR(10) NOT NULL DEFAULT '',
    verify_state      TEXT NOT NULL DEFAULT 'unverified',
    identity_bound_at DATETIME,
    phone_enc         TEXT,
    phone_idx         CHAR(64),
    created_at        DATETIME NOT NULL,
    updated_at        DATETIME NOT NULL
);
CREATE INDEX candidates_unionid ON candidates (unionid);
CREATE INDEX candidates_phone ON candidates (phone_idx);

CREATE TABLE candidate_sessions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    token_hash   CHAR(64) NOT NULL UNIQUE,
    candidate_id INTEGER NOT NULL REFERENCES candidates(id),
    created_at   DATETIME NOT NULL,
    expires_at   DATETIME NOT NULL,
    revoked_at   DATETIME
);
CREATE INDEX candidate_sessions_candidate ON candidate_sessions (candidate_id);

CREATE TABLE consents (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    candidate_id INTEGER NOT NULL REFERENCES candidates(id),
    kind         TEXT NOT NULL,
    version      TEXT NOT NULL,
    accepted_at  DATETIME NOT NULL
);
CREATE INDEX consents_candidate ON consents (candidate_id, kind);

CREATE TABLE registrations (
    id                     INTEGER PRIMARY KEY AUTOINCREMENT,
    plan_id                INTEGER NOT NULL REFERENCES plans(id),
    candidate_id           INTEGER NOT NULL REFERENCES candidates(id),
    code_id                INTEGER REFERENCES registration_codes(id),
    id_number_idx          CHAR(64) NOT NULL,
    status                 TEXT NOT NULL DEFAULT 'draft',
    basis                  TEXT NOT NULL DEFAULT '',
    education              TEXT NOT NULL DEFAULT '',
    years_in_occupation    INTEGER,
    candidate_source       TEXT NOT NULL DEFAULT '',
    labor_relation         TEXT NOT NULL DEFAULT '',
    phone_enc              TEXT,
    employer               TEXT NOT NULL DEFAULT '',
    commitment_accepted_at DATETIME,
    employer_mismatch      INTEGER NOT NULL DEFAULT 0,
    seat_held              INTEGER NOT NULL DEFAULT 0,
    submitted_at           DATETIME,
    reviewed_at            DATETIME,
    reviewed_by            INTEGER,
    review_note            TEXT NOT NULL DEFAULT '',
    return_fields          TEXT NOT NULL DEFAULT '',
    cancelled_at           DATETIME,
    cert_no                TEXT NOT NULL DEFAULT '',
    cert_stage             TEXT NOT NULL DEFAULT '',
    created_at             DATETIME NOT NULL,
    updated_at             DATETIME NOT NULL,
    UNIQUE (plan_id, candidate_id),
    UNIQUE (plan_id, id_number_idx)
);
CREATE INDEX registrations_candidate ON registrations (candidate_id, created_at);
CREATE INDEX registrations_plan_status ON registrations (plan_id, status);

CREATE TABLE attachments (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    registration_id INTEGER NOT NULL REFERENCES registrations(id),
    item_key        TEXT NOT NULL,
    file_name       TEXT NOT NULL,
    content_type    TEXT NOT NULL,
    size            INTEGER NOT NULL,
    blob_key        CHAR(64) NOT NULL,
    uploaded_at     DATETIME NOT NULL
);
CREATE INDEX attachments_registration ON attachments (registration_id, id);
CREATE INDEX attachments_blob ON attachments (blob_key);

CREATE TABLE employment_register (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    id_number_idx CHAR(64) NOT NULL,
    employer      TEXT NOT NULL,
    from_date     CHAR(10) NOT NULL DEFAULT '',
    imported_at   DATETIME NOT NULL
);
CREATE INDEX employment_register_idx ON employment_register (id_number_idx, from_date);

CREATE TABLE exam_results (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    registration_id INTEGER NOT NULL REFERENCES registrations(id),
    subject         TEXT NOT NULL, -- theory | practical | comprehensive
    result          TEXT NOT NULL, -- pass | fail
    score           REAL,
    recorded_at     DATETIME NOT NULL,
    UNIQUE (registration_id, subject)
);

CREATE TABLE certificate_events (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    registration_id INTEGER NOT NULL REFERENCES registrations(id),
    stage           TEXT NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    occurred_at     DATETIME NOT NULL,
    created_by      INTEGER
);
CREATE INDEX certificate_events_registration ON certificate_events (registration_id, occurred_at);

CREATE TABLE outbox (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    event_kind      TEXT NOT NULL,
    dedupe_key      TEXT NOT NULL UNIQUE,
    candidate_id    INTEGER,
    registration_id INTEGER,
    plan_id         INTEGER,
    payload         TEXT NOT NULL DEFAULT '{}',
    state           TEXT NOT NULL DEFAULT 'pending', -- pending | sending | sent | app_only | failed
    channel         TEXT NOT NULL DEFAULT '',
    attempts        INTEGER NOT NULL DEFAULT 0,
    next_attempt_at DATETIME NOT NULL,
    claimed_by      TEXT NOT NULL DEFAULT '',
    claimed_until   DATETIME,
    last_error      TEXT NOT NULL DEFAULT '',
    created_at      DATETIME NOT NULL,
    sent_at         DATETIME
);
CREATE INDEX outbox_due ON outbox (state, next_attempt_at, id);
CREATE INDEX outbox_candidate ON outbox (candidate_id, id);

CREATE TABLE staff_users (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    username       TEXT NOT NULL UNIQUE,
    password_hash  TEXT NOT NULL,
    role           TEXT NOT NULL, -- admin | institution | supervisor
    institution_id INTEGER REFERENCES institutions(id),
    region         TEXT NOT NULL DEFAULT '',
    failed_logins  INTEGER NOT NULL DEFAULT 0,
    locked_until   DATETIME,
    disabled       INTEGER NOT NULL DEFAULT 0,
    created_at     DATETIME NOT NULL,
    updated_at     DATETIME NOT NULL
);

CREATE TABLE audit_log (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    actor_kind  TEXT NOT NULL, -- staff | candidate | system
    actor_id    INTEGER,
    action      TEXT NOT NULL,
    object_kind TEXT NOT NULL DEFAULT '',
    object_id   INTEGER,
    detail      TEXT NOT NULL DEFAULT '',
    ip          TEXT NOT NULL DEFAULT '',
    created_at  DATETIME NOT NULL
);
CREATE INDEX audit_log_time ON audit_log (created_at, id);

-- A fixed-window counter shared by every replica: sign-in, code guessing, feedback.
CREATE TABLE rate_counters (
    bucket       TEXT NOT NULL,
    window_start DATETIME NOT NULL,
    count        INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (bucket, window_start)
);

-- +goose Down
DROP TABLE rate_counters;
DROP TABLE audit_log;
DROP TABLE staff_users;
DROP TABLE outbox;
DROP TABLE certificate_events;
DROP TABLE exam_results;
DROP TABLE employment_register;
DROP TABLE attachments;
DROP TABLE registrations;
DROP TABLE consents;
DROP TABLE candidate_sessions;
DROP TABLE candidates;
DROP TABLE registration_codes;
DROP TABLE plans;
DROP TABLE institutions;
