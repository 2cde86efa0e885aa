-- +goose Up
-- Supervision feedback (外部督导情况反馈) and training intentions (培训意向登记),
-- issue 9. Only CREATE … IF NOT EXISTS: safe to re-run.

-- A candidate's feedback about a plan (through one of their registrations or by
-- plan number). It is routed to the supervisor of the plan's 业务监管地 and never
-- shown to the plan's institution. candidate_id is kept even when anonymous (for
-- abuse control, shown to admins only); the contact phone is sealed.
CREATE TABLE IF NOT EXISTS feedback (
    id                INTEGER PRIMARY KEY AUTOINCREMENT,
    candidate_id      INTEGER NOT NULL REFERENCES candidates(id),
    plan_id           INTEGER NOT NULL REFERENCES plans(id),
    registration_id   INTEGER REFERENCES registrations(id),
    category          TEXT NOT NULL,
    content           TEXT NOT NULL,
    contact_pref      TEXT NOT NULL,             -- in_app | phone
    contact_phone_enc TEXT,
    anonymous         INTEGER NOT NULL DEFAULT 0,
    status            TEXT NOT NULL DEFAULT 'submitted', -- submitted | processing | closed
    reply             TEXT NOT NULL DEFAULT '',
    replied_at        DATETIME,
    replied_by        INTEGER REFERENCES staff_users(id),
    created_at        DATETIME NOT NULL,
    updated_at        DATETIME NOT NULL
);
CREATE INDEX IF NOT EXISTS feedback_candidate ON feedback (candidate_id, id);
CREATE INDEX IF NOT EXISTS feedback_plan ON feedback (plan_id, status);

-- Photos of a feedback (jpg/png). The bytes live in the blob store shared with
-- attachments, under blob_key (the SHA-256 of the content).
CREATE TABLE IF NOT EXISTS feedback_images (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,
    feedback_id  INTEGER NOT NULL REFERENCES feedback(id),
    file_name    TEXT NOT NULL,
    content_type TEXT NOT NULL,
    size         INTEGER NOT NULL,
    blob_key     CHAR(64) NOT NULL,
    uploaded_at  DATETIME NOT NULL
);
CREATE INDEX IF NOT EXISTS feedback_images_feedback ON feedback_images (feedback_id, id);
CREATE INDEX IF NOT EXISTS feedback_images_blob ON feedback_images (blob_key);

-- A candidate's wish to be trained. Institutions of the city see counts, and the
-- contacts of those who agreed to be contacted (contact_consent).
CREATE TABLE IF NOT EXISTS training_intentions (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    candidate_id    INTEGER NOT NULL REFERENCES candidates(id),
    occupation      TEXT NOT NULL,
    level           INTEGER NOT NULL CHECK (level BETWEEN 1 AND 5),
    city            TEXT NOT NULL,
    preferred_time  TEXT NOT NULL DEFAULT '',
    phone_enc       TEXT NOT NULL,
    note            TEXT NOT NULL DEFAULT '',
    contact_consent INTEGER NOT NULL DEFAULT 0,
    consent_at      DATETIME,
    created_at      DATETIME NOT NULL,
    updated_at      DATETIME NOT NULL,
    UNIQUE (candidate_id, occupation, level, city)
);
CREATE INDEX IF NOT EXISTS training_intentions_city ON training_intentions (city, occupation, level);

-- The city of an institution (所在城市), which decides whose training intentions
-- it sees. A table of its own rather than a column, so the step stays re-runnable
-- on MySQL 8 (no ADD COLUMN IF NOT EXISTS).
CREATE TABLE IF NOT EXISTS institution_cities (
    institution_id INTEGER PRIMARY KEY REFERENCES institutions(id),
    city           TEXT NOT NULL,
    updated_at     DATETIME NOT NULL
);

-- +goose Down
DROP TABLE IF EXISTS institution_cities;
DROP TABLE IF EXISTS training_intentions;
DROP TABLE IF EXISTS feedback_images;
DROP TABLE IF EXISTS feedback;
