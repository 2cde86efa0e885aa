-- Registrations (报名) by code: drafts, the form, submit and cancel, the seats they
-- hold. The *-lock blocks read a row for update inside a transaction
-- (registrations.mysql.sql adds FOR UPDATE; SQLite's IMMEDIATE transactions
-- already hold the one write lock).

-- name: registration-insert
INSERT INTO registrations (plan_id, candidate_id, code_id, id_number_idx, status, phone_enc,
    created_at, updated_at)
VALUES (?, ?, ?, ?, 'draft', ?, ?, ?);

-- name: registration-get
SELECT id, plan_id, candidate_id, code_id, id_number_idx, status, basis, education,
    years_in_occupation, candidate_source, labor_relation, phone_enc, employer,
    commitment_accepted_at, employer_mismatch, seat_held, submitted_at, reviewed_at,
    review_note, return_fields, cancelled_at, created_at, updated_at, version
FROM registrations WHERE id = ?;

-- name: registration-get-many
-- The registrations of a commit group of submits, read at once (core's
-- prepareQueuedSubmits); the ids are a group's, at most a few dozen.
SELECT id, plan_id, candidate_id, code_id, id_number_idx, status, basis, education,
    years_in_occupation, candidate_source, labor_relation, phone_enc, employer,
    commitment_accepted_at, employer_mismatch, seat_held, submitted_at, reviewed_at,
    review_note, return_fields, cancelled_at, created_at, updated_at, version
FROM registrations WHERE id IN (?);

-- name: registration-lock
SELECT id, plan_id, candidate_id, code_id, id_number_idx, status, basis, education,
    years_in_occupation, candidate_source, labor_relation, phone_enc, employer,
    commitment_accepted_at, employer_mismatch, seat_held, submitted_at, reviewed_at,
    review_note, return_fields, cancelled_at, created_at, updated_at, version
FROM registrations WHERE id = ?;

-- name: registration-id-by-plan-candidate
SELECT id FROM registrations WHERE plan_id = ? AND candidate_id = ?;

-- name: registration-list-by-candidate
-- A candidate's registrations, newest first.
SELECT id, plan_id, candidate_id, code_id, id_number_idx, status, basis, education,
    years_in_occupation, candidate_source, labor_relation, phone_enc, employer,
    commitment_accepted_at, employer_mismatch, seat_held, submitted_at, reviewed_at,
    review_note, return_fields, cancelled_at, created_at, updated_at
FROM registrations WHERE candidate_id = ?
ORDER BY created_at DESC, id DESC
LIMIT ? OFFSET ?;

-- name: registration-count-by-candidate
SELECT COUNT(*) FROM registrations WHERE candidate_id = ?;

-- name: registration-save-form
UPDATE registrations SET version = version + 1, basis = ?, education = ?, years_in_occupation = ?, candidate_source = ?,
    labor_relation = ?, phone_enc = ?, employer = ?, commitment_accepted_at = ?,
    employer_mismatch = ?, updated_at = ?
WHERE id = ?;

-- name: registration-set-status
-- A status change, guarded by the status it was read in; the ID number's tail
-- hash with it when given ('' keeps the registration's).
UPDATE registrations SET version = version + 1, status = ?, seat_held = ?, id_number_idx = ?,
    id_tail_idx = COALESCE(NULLIF(?, ''), id_tail_idx), submitted_at = ?,
    cancelled_at = ?, updated_at = ?
WHERE id = ? AND status = ?;

-- name: registration-set-status-pinned
-- registration-set-status guarded by what the caller read and checked (a
-- submit reads it before its transaction): the registration's version (every
-- write to a registration moves it, an attachment's too) and the candidate's
-- identity as the submit checked and answers it: the ID number's blind index,
-- the birth date, the verification state, the name, the document type and the
-- gender (on MariaDB a locking read of the candidate's row).
UPDATE registrations SET version = version + 1, status = ?, seat_held = ?, id_number_idx = ?,
    id_tail_idx = COALESCE(NULLIF(?, ''), id_tail_idx), submitted_at = ?,
    cancelled_at = ?, updated_at = ?
WHERE id = ? AND status = ? AND version = ?
  AND EXISTS (SELECT 1 FROM candidates c WHERE c.id = ? AND c.id_number_idx = ?
      AND c.birth_date = ? AND c.verify_state = ? AND c.name = ? AND c.id_type = ?
      AND c.gender = ?);

-- name: registration-touch
UPDATE registrations SET version = version + 1, updated_at = ? WHERE id = ?;

-- name: plan-seat-take
-- Takes one seat if one is left: the only way seats_taken grows, so a plan's
-- maximum holds whatever the concurrency.
UPDATE plans SET seats_taken = seats_taken + 1, updated_at = ?,
    activity_at = CASE WHEN activity_at < ? THEN ? ELSE activity_at END
WHERE id = ? AND state = 'published' AND seats_taken < seats_total;

-- name: plan-seat-free
UPDATE plans SET seats_taken = seats_taken - 1, updated_at = ?,
    activity_at = CASE WHEN activity_at < ? THEN ? ELSE activity_at END
WHERE id = ? AND seats_taken > 0;

-- name: plan-activity-touch
-- A registration of the plan changed status: the plan's activity (the
-- console's 最近有动态 order) moves to now, never back.
UPDATE plans SET activity_at = ? WHERE id = ? AND activity_at < ?;

-- name: plan-seats-taken
SELECT seats_taken FROM plans WHERE id = ?;

-- name: registration-code-find
-- A code that is usable now: active and not expired.
SELECT id, plan_id FROM registration_codes
WHERE code = ? AND state = 'active' AND (expires_at IS NULL OR expires_at > ?);

-- name: registration-code-used
UPDATE registration_codes SET use_count = use_count + 1 WHERE id = ?;

-- name: registration-seat-state
-- What a submit can be refused on without the write lock: the owner, the status
-- and the plan's seats and window, in one read.
SELECT r.candidate_id, r.status, r.plan_id, p.state AS plan_state, p.seats_taken, p.seats_total, p.reg_deadline
FROM registrations r JOIN plans p ON p.id = r.plan_id
WHERE r.id = ?;

-- name: registration-fill-phone
-- A phone bound after a draft was made fills the editable registrations that have none.
UPDATE registrations SET version = version + 1, phone_enc = ?, updated_at = ?
WHERE candidate_id = ? AND status IN ('draft', 'returned') AND (phone_enc IS NULL OR phone_enc = '');

-- name: plan-seats-take
-- plan-seat-take for n seats at once (a commit group of submits), all or none:
-- the caller has read the plan's seats under its lock (plan-seats-lock).
UPDATE plans SET seats_taken = seats_taken + ?, updated_at = ?,
    activity_at = CASE WHEN activity_at < ? THEN ? ELSE activity_at END
WHERE id = ? AND state = 'published' AND seats_taken + ? <= seats_total;

-- name: plan-seats-lock
-- A plan's seats and state, read to take several seats at once
-- (registrations.mysql.sql adds FOR UPDATE; SQLite has one writer).
SELECT seats_taken, seats_total, state FROM plans WHERE id = ?;
