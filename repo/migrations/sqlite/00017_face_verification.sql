-- +goose Up
-- Real-name verification by face (人脸核身), issue 17. Tables of their own, so the
-- step stays re-runnable on MySQL (no ADD COLUMN IF NOT EXISTS there); the same
-- schema as mysql/00017_face_verification.sql. No face data is stored: WeChat
-- keeps it; skillcert keeps only the session and its outcome.

-- One verification session: the identity checked (name, the number sealed and
-- indexed), WeChat's verify_id and our out_seq_no, and how it ended. purpose is
-- 'verify' (the candidate's own identity) or 'claim' (an ID number bound to
-- another account). state: pending | passed | failed | mismatch | not_done |
-- invalid | refused.
CREATE TABLE IF NOT EXISTS face_verifications (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    candidate_id    INTEGER NOT NULL REFERENCES candidates(id),
    purpose         TEXT NOT NULL,
    name            TEXT NOT NULL,
    id_type         CHAR(2) NOT NULL,
    id_number_enc   TEXT NOT NULL,
    id_number_idx   CHAR(64) NOT NULL,
    consent_version TEXT NOT NULL DEFAULT '',
    out_seq_no      VARCHAR(32) NOT NULL UNIQUE,
    verify_id       VARCHAR(256) NOT NULL UNIQUE,
    method          TEXT NOT NULL,
    state           TEXT NOT NULL DEFAULT 'pending',
    result_code     INTEGER NOT NULL DEFAULT 0,
    created_at      DATETIME NOT NULL,
    expires_at      DATETIME NOT NULL,
    finished_at     DATETIME
);
CREATE INDEX IF NOT EXISTS face_verifications_candidate ON face_verifications (candidate_id, created_at);
CREATE INDEX IF NOT EXISTS face_verifications_number ON face_verifications (id_number_idx, created_at);

-- How and when a candidate's identity was verified (candidates.verify_state says
-- whether): one row per verified candidate, removed when the identity is released.
CREATE TABLE IF NOT EXISTS candidate_verifications (
    candidate_id    INTEGER PRIMARY KEY REFERENCES candidates(id),
    method          TEXT NOT NULL,
    verification_id INTEGER NOT NULL REFERENCES face_verifications(id),
    verified_at     DATETIME NOT NULL
);

-- A plan that takes submissions only from verified identities (console setting).
CREATE TABLE IF NOT EXISTS plan_identity_rules (
    plan_id          INTEGER PRIMARY KEY REFERENCES plans(id),
    require_verified INTEGER NOT NULL DEFAULT 0,
    updated_by       INTEGER,
    updated_at       DATETIME NOT NULL
);

-- Something about a registration the institution must look at: kind
-- 'id_claimed' is a registration whose ID number was verified by face by
-- another account whose name differs from the one the registration was made in.
CREATE TABLE IF NOT EXISTS registration_flags (
    registration_id INTEGER NOT NULL REFERENCES registrations(id),
    kind            TEXT NOT NULL,
    detail          TEXT NOT NULL DEFAULT '',
    created_at      DATETIME NOT NULL,
    PRIMARY KEY (registration_id, kind)
);

-- +goose Down
DROP TABLE IF EXISTS registration_flags;
DROP TABLE IF EXISTS plan_identity_rules;
DROP TABLE IF EXISTS candidate_verifications;
DROP TABLE IF EXISTS face_verifications;
